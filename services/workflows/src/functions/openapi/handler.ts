import { openApiRoute } from './route'

export const handler = openApiRoute()
