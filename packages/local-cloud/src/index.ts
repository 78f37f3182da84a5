export * from './service'
