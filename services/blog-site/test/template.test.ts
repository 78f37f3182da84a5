// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
// biome-ignore-all lint/suspicious/noExplicitAny: the test walks untyped CloudFormation JSON.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ONE_CLICK_UNSUBSCRIBE_PATH } from '@app/domain/emails'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { viewerRequestSource, viewerResponseSource } from '../cloudfront/load'
import { ORIGIN_VERIFY_HEADER } from '../src/api/http'

/**
 * The packaged CloudFormation of blog-site, as `sls package --stage dev` produces it offline:
 * the edge (OAC, bucket policies bound to the distribution, security headers, URL function, cache
 * policies), private buckets, the photo-upload notification, the subscribers stream and the
 * outputs other services consume.
 */
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string | string[] }
type Template = {
  Resources: Record<string, Resource>
  Outputs: Record<string, { Value: unknown }>
  Conditions?: Record<string, unknown>
}

const serviceDir = join(import.meta.dirname, '..')
const rootDir = join(serviceDir, '..', '..')
const outDir = mkdtempSync(join(tmpdir(), 'blog-site-package-'))
const workFolder = `.esbuild-template-${process.pid}`
let template: Template

beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    [
      join(rootDir, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'package',
      '--stage',
      'dev',
      '--param',
      'userPoolId=us-east-1_TEMPLATE',
      '--param',
      'userPoolClientId=templateclient',
      '--package',
      outDir,
    ],
    {
      cwd: serviceDir,
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        ESBUILD_WORK_FOLDER: workFolder,
      },
      // Never outlive the test: a hung packager is killed, and the hook fails with its output.
      timeout: 170_000,
      killSignal: 'SIGKILL',
    },
  )
  template = JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'))
}, 180_000)
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true })
  rmSync(join(serviceDir, workFolder), { recursive: true, force: true })
})

const ofType = (type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
const resource = (id: string) => {
  const found = template.Resources[id]
  if (!found) throw new Error(`no resource ${id}`)
  return found
}
const distributionConfig = () => resource('SiteDistribution').Properties.DistributionConfig
const behaviours = () => [distributionConfig().DefaultCacheBehavior, ...distributionConfig().CacheBehaviors]
const distributionArn = {
  'Fn::Join': [
    '',
    ['arn:aws:cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: 'SiteDistribution' }],
  ],
}

const uploadsName = 'blog-site-dev-uploads-${AWS::AccountId}-${AWS::Region}'

describe('blog-site template', () => {
  it('keeps every bucket private and encrypted', () => {
    const buckets = ofType('AWS::S3::Bucket').filter(([id]) => id !== 'ServerlessDeploymentBucket')
    expect(buckets.map(([id]) => id).sort()).toEqual(['SiteBucket', 'ThumbnailsBucket', 'UploadsBucket'])
    // Global names nobody else can register first (they had neither account nor region before).
    expect(Object.fromEntries(buckets.map(([id, bucket]) => [id, bucket.Properties.BucketName]))).toEqual({
      SiteBucket: { 'Fn::Sub': 'blog-site-dev-site-${AWS::AccountId}-${AWS::Region}' },
      UploadsBucket: { 'Fn::Sub': uploadsName },
      ThumbnailsBucket: { 'Fn::Sub': 'blog-site-dev-thumbnails-${AWS::AccountId}-${AWS::Region}' },
    })
    for (const [, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      })
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toBeDefined()
      expect(bucket.Properties.OwnershipControls.Rules[0].ObjectOwnership).toBe('BucketOwnerEnforced')
    }
  })

  it('lets only this distribution read the buckets (OAC), and only over TLS', () => {
    // The framework's deployment bucket has its own (TLS-only) policy; ours are the three below.
    const policies = ofType('AWS::S3::BucketPolicy').filter(
      ([id]) => id !== 'ServerlessDeploymentBucketPolicy',
    )
    expect(policies.map(([id]) => id).sort()).toEqual([
      'SiteBucketPolicy',
      'ThumbnailsBucketPolicy',
      'UploadsBucketPolicy',
    ])
    for (const [id, policy] of policies) {
      const statements = policy.Properties.PolicyDocument.Statement as Record<string, any>[]
      const allows = statements.filter((statement) => statement.Effect === 'Allow')
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      )
      // Originals (camera EXIF) are for nobody but the roles that write and thumbnail them.
      if (id === 'UploadsBucketPolicy') {
        expect(allows).toEqual([])
        continue
      }
      expect(allows).toHaveLength(1)
      expect(allows[0]).toMatchObject({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
      })
    }
  })

  it('never serves photo originals: the uploads bucket is no origin and no behaviour reaches it', () => {
    const origins = distributionConfig().Origins as { Id: string; DomainName: unknown }[]
    expect(origins.filter((origin) => JSON.stringify(origin.DomainName).includes('UploadsBucket'))).toEqual(
      [],
    )
    const originIds = new Set(origins.map((origin) => origin.Id))
    for (const behaviour of behaviours()) expect(originIds).toContain(behaviour.TargetOriginId)
    expect(behaviours().map((behaviour) => behaviour.PathPattern)).not.toContain('/media/uploads/*')
  })

  it('signs origin requests with Origin Access Control, not an OAI', () => {
    const [[oacId, oac] = []] = ofType('AWS::CloudFront::OriginAccessControl')
    expect(oac?.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    })
    expect(ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0)
    const s3Origins = distributionConfig().Origins.filter((origin: any) => origin.S3OriginConfig)
    expect(s3Origins.map((origin: any) => origin.Id).sort()).toEqual(['site', 'thumbnails'])
    for (const origin of s3Origins) {
      expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] })
      expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('')
    }
  })

  it('redirects to HTTPS, compresses text and adds the security headers on every behaviour', () => {
    for (const behaviour of behaviours()) {
      expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https')
      expect(behaviour.ResponseHeadersPolicyId).toEqual({
        Ref: behaviour.PathPattern === '/studio/*' ? 'StudioSecurityHeadersPolicy' : 'SecurityHeadersPolicy',
      })
    }
    expect(distributionConfig().DefaultCacheBehavior.Compress).toBe(true)
    const security =
      resource('SecurityHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
      Override: true,
    })
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/default-src 'self'/)
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/frame-ancestors 'none'/)
    expect(security.ContentTypeOptions.Override).toBe(true)
    expect(security.FrameOptions.FrameOption).toBe('DENY')
  })

  it("gives the studio the site's headers, its CSP widened to exactly Cognito, the uploads bucket and the WebSocket", () => {
    const config = (id: string) => resource(id).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig
    const site = config('SecurityHeadersPolicy')
    const studio = config('StudioSecurityHeadersPolicy')
    for (const header of ['StrictTransportSecurity', 'ContentTypeOptions', 'FrameOptions', 'ReferrerPolicy'])
      expect(studio[header], header).toEqual(site[header])
    const base = site.ContentSecurityPolicy.ContentSecurityPolicy
    expect(base).toMatch(/; connect-src 'self'$/)
    // The stage's realtime URL is a param (empty in this package: no WebSocket source, no wildcard).
    expect(studio.ContentSecurityPolicy.ContentSecurityPolicy).toEqual({
      'Fn::Sub': `${base} https://cognito-idp.us-east-1.amazonaws.com https://${uploadsName}.s3.\${AWS::Region}.amazonaws.com `,
    })
    const studioBehaviour = behaviours().find((behaviour) => behaviour.PathPattern === '/studio/*')
    expect(studioBehaviour).toMatchObject({ TargetOriginId: 'site', AllowedMethods: ['GET', 'HEAD'] })
    // Browsers PUT photos straight to the presigned URL: from the site's origin, the signed headers only.
    expect(resource('UploadsBucket').Properties.CorsConfiguration.CorsRules).toEqual([
      {
        Id: 'studio-presigned-put',
        AllowedMethods: ['PUT'],
        AllowedOrigins: {
          'Fn::If': [
            'HasSiteDomain',
            ['https://', template.Outputs.SiteUrl?.Value],
            [template.Outputs.SiteUrl?.Value],
          ],
        },
        AllowedHeaders: ['content-type', 'if-none-match'],
        MaxAge: 3600,
      },
    ])
  })

  it('rewrites URLs with the tested CloudFront function at viewer-request, except on the API', () => {
    const fn = resource('UrlRewriteFunction').Properties
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0')
    expect(fn.AutoPublish).toBe(true)
    expect(fn.FunctionCode).toBe(viewerRequestSource)
    for (const behaviour of behaviours()) {
      const associations = behaviour.FunctionAssociations ?? []
      if (behaviour.PathPattern === '/api/*') expect(associations).toEqual([])
      else
        expect(associations).toContainEqual({
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': ['UrlRewriteFunction', 'FunctionMetadata.FunctionARN'] },
        })
    }
  })

  it('answers unknown pages with the 404 page and status 404, and leaves the API its own problems', () => {
    const fn = resource('NotFoundStatusFunction').Properties
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0')
    expect(fn.AutoPublish).toBe(true)
    expect(fn.FunctionCode).toBe(viewerResponseSource)
    const config = distributionConfig()
    expect(config.DefaultCacheBehavior.FunctionAssociations).toContainEqual({
      EventType: 'viewer-response',
      FunctionARN: { 'Fn::GetAtt': ['NotFoundStatusFunction', 'FunctionMetadata.FunctionARN'] },
    })
    // Distribution-wide error responses would rewrite the API's 403/404 problems into HTML.
    expect(config.CustomErrorResponses ?? []).toEqual([])
    // The buckets stay private behind OAC (S3 answers 403 for a missing key): the status comes from
    // the 404 page's object metadata, set by the viewer-response function.
    expect(
      config.Origins.find((origin: { Id: string }) => origin.Id === 'site').OriginAccessControlId,
    ).toBeDefined()
  })

  it('caches hashed assets for a year and pages briefly; the API decides, keyed by Authorization', () => {
    const ttl = (id: string) => {
      const { MinTTL, DefaultTTL, MaxTTL } = resource(id).Properties.CachePolicyConfig
      return { MinTTL, DefaultTTL, MaxTTL }
    }
    const byPattern = Object.fromEntries(
      behaviours().map((behaviour) => [behaviour.PathPattern ?? '*', behaviour]),
    )
    expect(byPattern['/assets/*'].CachePolicyId).toEqual({ Ref: 'HashedAssetsCachePolicy' })
    expect(ttl('HashedAssetsCachePolicy')).toEqual({
      MinTTL: 31536000,
      DefaultTTL: 31536000,
      MaxTTL: 31536000,
    })
    expect(byPattern['*'].CachePolicyId).toEqual({ Ref: 'HtmlCachePolicy' })
    expect(ttl('HtmlCachePolicy').MaxTTL).toBeLessThanOrEqual(300)
    const api = byPattern['/api/*']
    expect(api.TargetOriginId).toBe('api')
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT']))
    const apiKey =
      resource('ApiCachePolicy').Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin
    expect(apiKey.HeadersConfig).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Authorization'] })
    expect(apiKey.QueryStringsConfig.QueryStringBehavior).toBe('all')
    const apiOrigin = distributionConfig().Origins.find((origin: any) => origin.Id === 'api')
    expect(apiOrigin.OriginPath).toBe('/dev')
    // The distribution is the API's only CDN: a REGIONAL endpoint, not an EDGE-optimized one.
    expect(resource('ApiGatewayRestApi').Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] })
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only')
  })

  it('notifies the encrypted photo topic of new objects under photos/, and only from the uploads bucket', () => {
    const uploads = resource('UploadsBucket')
    expect(uploads.Properties.NotificationConfiguration.TopicConfigurations).toEqual([
      {
        Event: 's3:ObjectCreated:*',
        Topic: { Ref: 'PhotoUploadedTopic' },
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'photos/' }] } },
      },
    ])
    expect(uploads.DependsOn).toContain('PhotoUploadedTopicPolicy')
    expect(resource('PhotoUploadedTopic').Properties.KmsMasterKeyId).toEqual({ Ref: 'MediaEventsKey' })
    const [statement] = resource('PhotoUploadedTopicPolicy').Properties.PolicyDocument.Statement
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        ArnEquals: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:aws:s3:::', { 'Fn::Sub': uploadsName }]],
          },
        },
      },
    })
  })

  it('streams new subscribers, with PITR, encryption and TTL', () => {
    const subscribers = resource('SubscribersTable').Properties
    expect(subscribers.TableName).toBe('blog-site-dev-subscribers')
    expect(subscribers.KeySchema).toEqual([{ AttributeName: 'email', KeyType: 'HASH' }])
    expect(subscribers.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' })
    expect(subscribers.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true)
    expect(subscribers.SSESpecification.SSEEnabled).toBe(true)
    expect(subscribers.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true })
  })

  it("indexes subscribers by status for the newsletter's Query, with the keys a mail needs", () => {
    const indexes = resource('SubscribersTable').Properties.GlobalSecondaryIndexes
    expect(indexes.find((index: any) => index.IndexName === 'byStatus')).toEqual({
      IndexName: 'byStatus',
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'subscriberId', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    })
    expect(template.Outputs.SubscribersByStatusIndexArn?.Value).toEqual({
      'Fn::Join': ['/', [{ 'Fn::GetAtt': ['SubscribersTable', 'Arn'] }, 'index', 'byStatus']],
    })
    // Publications reach the newsletter on the posts stream, with old and new images.
    expect(resource('PostsTable').Properties.StreamSpecification).toEqual({
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    })
    expect(template.Outputs.PostsTableStreamArn?.Value).toEqual({ 'Fn::GetAtt': ['PostsTable', 'StreamArn'] })
  })

  it('lets mail clients POST the one-click unsubscribe URL through the distribution, to the API', () => {
    // The first behaviour whose pattern matches the path of every email's List-Unsubscribe URL.
    const path = `/${ONE_CLICK_UNSUBSCRIBE_PATH}`
    const glob = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
    const behaviour =
      distributionConfig().CacheBehaviors.find((b: any) => glob(b.PathPattern).test(path)) ??
      distributionConfig().DefaultCacheBehavior
    expect(behaviour.TargetOriginId).toBe('api')
    expect(behaviour.AllowedMethods).toContain('POST')
    // The default (pages) behaviour refuses POST: the URL must not be a page's.
    expect(distributionConfig().DefaultCacheBehavior.AllowedMethods).not.toContain('POST')
  })

  it('gives the links key only to the functions that verify it, resolved from Secrets Manager at deploy', () => {
    const holders = ofType('AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.SUBSCRIPTION_TOKEN_SECRET !== undefined)
      .map(([id]) => id)
      .sort()
    expect(holders).toEqual(['ConfirmSubscriptionLambdaFunction', 'UnsubscribeLambdaFunction'])
    for (const id of holders)
      expect(resource(id).Properties.Environment.Variables.SUBSCRIPTION_TOKEN_SECRET).toEqual({
        'Fn::Join': [
          '',
          ['{{resolve:secretsmanager:', { Ref: 'SubscriptionTokenSecret' }, ':SecretString}}'],
        ],
      })
    expect(resource('SubscriptionTokenSecret').Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
    })
    expect(template.Outputs.SubscriptionTokenSecretArn?.Value).toEqual({ Ref: 'SubscriptionTokenSecret' })
  })

  it('adds the origin secret on the /api origin, from the one secret every API function checks', () => {
    // The same secret, pinned to the same version (none in dev: AWSCURRENT), in both readers.
    const reference = (suffix: string, pinned: string) => ({
      'Fn::Join': [
        '',
        [
          '{{resolve:secretsmanager:',
          { Ref: 'OriginVerifySecret' },
          suffix,
          { 'Fn::If': ['PinsOriginVerifyVersion', pinned, ''] },
          '}}',
        ],
      ],
    })
    const api = distributionConfig().Origins.find((origin: any) => origin.Id === 'api')
    expect(api.OriginCustomHeaders).toEqual([
      { HeaderName: 'X-Origin-Verify', HeaderValue: reference(':SecretString:current', '::') },
    ])
    expect(api.OriginCustomHeaders[0].HeaderName.toLowerCase()).toBe(ORIGIN_VERIFY_HEADER)
    // Every function an API method invokes gets the whole SecretString (current, next, previous).
    const invoked = new Set(
      ofType('AWS::ApiGateway::Method').flatMap(
        ([, method]) =>
          JSON.stringify(method.Properties.Integration?.Uri ?? '').match(/\w+LambdaFunction\b/g) ?? [],
      ),
    )
    expect(invoked.size).toBe(10)
    for (const id of invoked)
      expect(resource(id).Properties.Environment.Variables.ORIGIN_VERIFY_SECRET, id).toEqual(
        reference(':SecretString', ':::'),
      )
    expect(
      resource('AuthorizeLambdaFunction').Properties.Environment.Variables.ORIGIN_VERIFY_SECRET,
    ).toBeUndefined()
    expect(resource('OriginVerifySecret').Properties.GenerateSecretString).toMatchObject({
      GenerateStringKey: 'current',
      PasswordLength: 64,
      ExcludePunctuation: true,
    })
    expect(template.Conditions?.PinsOriginVerifyVersion).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] })
  })

  it('keeps posts in a global table with point-in-time recovery on every replica', () => {
    const posts = resource('PostsTable')
    expect(posts.Type).toBe('AWS::DynamoDB::GlobalTable')
    expect(posts.Properties.Replicas).toEqual([
      { Region: 'us-east-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    ])
    const photos = resource('PhotosTable').Properties
    expect(photos.GlobalSecondaryIndexes[0]).toMatchObject({
      IndexName: 'byPost',
      KeySchema: [
        { AttributeName: 'postSlug', KeyType: 'HASH' },
        { AttributeName: 'uploadedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })
  })

  it('exports what the other services consume', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'SubscribersTableStreamArn',
        'SubscribersTableName',
        'SubscribersByStatusIndexArn',
        'PostsTableStreamArn',
        'UploadsBucketName',
        'ThumbnailsBucketName',
        'PhotoUploadedTopicArn',
        'PhotoUploadedTopicKeyArn',
        'PhotosTableName',
        'PhotosTableArn',
        'SiteUrl',
      ]),
    )
    expect(template.Outputs.SubscribersTableStreamArn?.Value).toEqual({
      'Fn::GetAtt': ['SubscribersTable', 'StreamArn'],
    })
  })

  it('gives each function its own role without wildcard actions', () => {
    const roles = ofType('AWS::IAM::Role').filter(([id]) => id !== 'IamRoleLambdaExecution')
    expect(roles.length).toBeGreaterThanOrEqual(8)
    for (const [id, role] of roles) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) {
          const actions = [statement.Action].flat() as string[]
          for (const action of actions) expect(action, `${id}: ${action}`).not.toMatch(/^\*$|:\*$/)
        }
      }
    }
    // Active tracing needs X-Ray on every role (it has no resource-level permissions).
    for (const [id, role] of roles) {
      const statements = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)
      expect(statements, id).toContainEqual(
        expect.objectContaining({
          Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          Resource: '*',
        }),
      )
    }
    for (const [id, fn] of ofType('AWS::Lambda::Function'))
      expect(fn.Properties.Role, id).toEqual({
        'Fn::GetAtt': [id.replace('LambdaFunction', 'IamRoleLambdaExecution'), 'Arn'],
      })
  })

  it('protects the write routes with the Cognito token authorizer', () => {
    // Readers subscribe, confirm and unsubscribe without an account; every other write is for authors.
    const anonymous = [
      'ApiGatewayMethodApiSubscribersPost',
      'ApiGatewayMethodApiSubscribersConfirmPost',
      'ApiGatewayMethodApiSubscribersUnsubscribePost',
    ]
    const writes = ofType('AWS::ApiGateway::Method').filter(([, method]) =>
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.Properties.HttpMethod),
    )
    expect(writes.map(([id]) => id)).toEqual(expect.arrayContaining(anonymous))
    const guarded = writes.filter(([id]) => !anonymous.includes(id))
    expect(guarded.map(([id]) => id).sort()).toEqual([
      'ApiGatewayMethodApiPostsPost',
      'ApiGatewayMethodApiPostsSlugVarPhotosPost',
      'ApiGatewayMethodApiPostsSlugVarPut',
    ])
    for (const [id, method] of guarded) {
      expect(method.Properties.AuthorizationType, id).toBe('CUSTOM')
      expect(method.Properties.AuthorizerId, id).toEqual({ Ref: 'AuthorizeApiGatewayAuthorizer' })
    }
    expect(resource('AuthorizeApiGatewayAuthorizer').Properties.Type).toBe('TOKEN')
  })
})
