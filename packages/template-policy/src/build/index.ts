export * from './compose'
export * from './package'
export * from './stubs'
