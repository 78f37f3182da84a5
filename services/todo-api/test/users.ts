/** Test users come from the shared harness; kept as a module so the e2e files import one place. */
export { signUpAndSignIn, type TestUser } from '@app/local-cloud/testing'
