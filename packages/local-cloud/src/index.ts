export * from './cloud'
export * from './service'
