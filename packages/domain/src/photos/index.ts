export * from './failures'
export * from './keys'
export * from './record'
export * from './sizing'
