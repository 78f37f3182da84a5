/** Cold-init baseline of the functions without SDK clients (authorizer, openapi): an empty handler. */
export const handler = async () => ({ statusCode: 200, body: '' })
