// All client factories in one place, for code that wants them all. Functions should import
// `@app/runtime/dynamodb`, `@app/runtime/s3`, `@app/runtime/sfn` or `@app/runtime/cloudfront` instead: with
// `@aws-sdk/*` external, every SDK client imported here is loaded at cold start even if unused.
export * from '../cloudfront'
export * from '../dynamodb'
export * from '../s3'
export * from '../sfn'
export * from './common'
