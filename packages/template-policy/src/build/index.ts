export * from './package'
export * from './stubs'
