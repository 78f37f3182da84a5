export * from './aws'
export * from './config'
export * from './observability'
