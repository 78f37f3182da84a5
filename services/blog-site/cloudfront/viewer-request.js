// CloudFront Function (runtime cloudfront-js-2.0), viewer-request on every behaviour but /api/*.
// Maps the blog's public URLs to the objects in its buckets. Kept to the ES5 subset the runtime
// and its 10 KB limit favour; the tests (viewer-request.test.ts) run this exact file, and the
// local edge server (`pnpm dev`) runs it too, so both see the same routing as CloudFront.

var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
var MAX_SLUG_LENGTH = 80
// Top-level files the site build emits (pages, icon, robots); everything else sits under /assets/.
var TOP_LEVEL_FILE = /^\/[a-z0-9-]+\.(?:html|svg|ico|txt|webmanifest)$/
var ASSET = /^\/assets\/[A-Za-z0-9._-]+$/
// Thumbnails only: originals (the uploads bucket, camera EXIF) are no origin and end at the 404 page.
var MEDIA = /^\/media\/(thumbnails)(\/.+)$/

function isSlug(value) {
  return value.length <= MAX_SLUG_LENGTH && SLUG.test(value)
}

function redirect(location) {
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: { location: { value: location } },
  }
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the top-level `handler` by name.
function handler(event) {
  var request = event.request
  var uri = request.uri
  var slug

  // Media: the behaviour already picked the bucket; the key is the rest of the path.
  var media = MEDIA.exec(uri)
  if (media) {
    request.uri = media[2]
    return request
  }

  if (uri === '/' || uri === '/index.html' || uri === '/posts' || uri === '/posts/') {
    request.uri = '/index.html'
    return request
  }

  // The page behind the link in every email (`/unsubscribe?token=...`).
  if (uri === '/unsubscribe' || uri === '/unsubscribe/') {
    request.uri = '/unsubscribe.html'
    return request
  }

  // The page behind the link of the confirmation email (`/confirm?token=...`): a button, not a GET.
  if (uri === '/confirm' || uri === '/confirm/') {
    request.uri = '/confirm.html'
    return request
  }

  // The author studio: its own folder of the bucket (page and settings), behind its own headers policy.
  if (uri === '/studio') return redirect('/studio/')
  if (uri === '/studio/') {
    request.uri = '/studio/index.html'
    return request
  }
  if (uri === '/studio/index.html' || uri === '/studio/config.json') return request

  if (uri.indexOf('/posts/') === 0) {
    slug = uri.slice('/posts/'.length)
    // One canonical URL per post: no trailing slash.
    if (slug.charAt(slug.length - 1) === '/' && isSlug(slug.slice(0, -1))) {
      // biome-ignore lint/style/useTemplate: no dollar-brace sequences here: serverless.yml embeds this file.
      return redirect('/posts/' + slug.slice(0, -1))
    }
    if (isSlug(slug)) {
      // One page shell for every post; it reads the slug from location.pathname.
      request.uri = '/post.html'
      return request
    }
    request.uri = '/404.html'
    return request
  }

  if (ASSET.test(uri) || TOP_LEVEL_FILE.test(uri)) return request

  // Anything else would reach S3 as a missing key (a 403 without ListBucket): show the site's page.
  request.uri = '/404.html'
  return request
}
