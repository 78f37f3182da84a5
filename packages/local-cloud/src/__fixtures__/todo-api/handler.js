// Answers with the settings the local cloud must hand to every function, so the integration test
// sees what a handler under serverless-offline really receives.
const names = [
  'STAGE',
  'TODOS_TABLE',
  'COGNITO_ISSUER',
  'COGNITO_CLIENT_IDS',
  'AWS_REGION',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_SESV2',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ACCESS_KEY_ID',
  'FIXTURE_SECRET',
]

export const ping = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(Object.fromEntries(names.map((name) => [name, process.env[name] ?? null]))),
})
