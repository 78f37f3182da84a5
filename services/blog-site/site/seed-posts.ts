import type { Post } from '@app/domain/posts'

/** Demo posts of `pnpm dev`, so the page is not empty (fixed dates keep their order stable). */
export const seedPosts: Post[] = [
  {
    slug: 'why-this-blog-is-serverless',
    title: 'Why this blog is serverless',
    summary:
      'A blog is written rarely and read often. That shape decides almost everything about how to host it.',
    body: [
      'A blog is written a few times a month and read thousands of times a day. Paying for a server that waits between those moments makes little sense.',
      'The pages are static files in a private S3 bucket. CloudFront serves them from the edge, signs its requests to the bucket with Origin Access Control, and adds security headers to every answer.',
      'What changes, the posts, comes from a small REST API on API Gateway and Lambda. Its public answers carry Cache-Control and an ETag, so CloudFront answers most readers without waking a function at all.',
    ].join('\n\n'),
    tags: ['architecture', 'aws'],
    author: 'Ada Lovelace',
    publishedAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-01T09:00:00.000Z',
    version: 1,
  },
  {
    slug: 'exactly-one-welcome-email',
    title: 'Exactly one welcome email',
    summary: 'Subscribing twice must not send two emails. A conditional write and a stream make it so.',
    body: [
      'When you subscribe, the API normalises your address and writes it with a condition: only if it is not there yet. A second click, a retry or a second visit writes nothing.',
      'The subscribers table streams its new items to a mailer function. Because a repeat never writes, the stream never carries a second INSERT, and the mailer keeps its own ledger for the retries streams are known for.',
    ].join('\n\n'),
    tags: ['dynamodb', 'email'],
    author: 'Grace Hopper',
    publishedAt: '2026-11-08T09:00:00.000Z',
    updatedAt: '2026-11-08T09:00:00.000Z',
    version: 1,
  },
  {
    slug: 'photos-and-thumbnails',
    title: 'Photos and their thumbnails',
    summary: 'Authors upload straight to S3 with a presigned URL; a thumbnailer reacts to the upload event.',
    body: [
      'An author asks the API for an upload URL. The API checks the image type and size, records the photo as pending and signs a PUT that S3 accepts for exactly that type and size.',
      'The uploads bucket tells an SNS topic about every new photo. The thumbnailer resizes it and marks the photo ready; the post page shows the thumbnail as soon as it exists.',
    ].join('\n\n'),
    tags: ['s3', 'sns', 'images'],
    author: 'Margaret Hamilton',
    publishedAt: '2026-11-15T09:00:00.000Z',
    updatedAt: '2026-11-15T09:00:00.000Z',
    version: 1,
  },
]
