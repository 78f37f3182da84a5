// The two naming modules naming.ts reads; neither package ships types.
declare module 'serverless/lib/plugins/aws/lib/naming.js' {
  const naming: {
    getNormalizedFunctionName(functionKey: string): string
    getLambdaLogicalId(functionKey: string): string
    getLogGroupLogicalId(functionKey: string): string
    getRoleLogicalId(): string
  }
  export default naming
}

declare module 'serverless-step-functions/lib/naming.js' {
  const naming: {
    generateLogicalId(name: string, suffix?: string): string
    getStateMachineLogicalId(
      this: { provider: { naming: unknown }; generateLogicalId(name: string, suffix?: string): string },
      key: string,
      machine?: { id?: string; name?: string },
    ): string
  }
  export default naming
}
