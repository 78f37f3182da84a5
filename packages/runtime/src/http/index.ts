export * from './caching'
export * from './cursor'
export * from './problem'
export * from './route'
