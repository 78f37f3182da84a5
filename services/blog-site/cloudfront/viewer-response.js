// CloudFront Function (cloudfront-js-2.0), viewer-response, on the pages behaviour. The viewer-request
// function rewrites unknown pages to /404.html, which S3 answers with 200; site/publish.ts stores that
// object with the metadata `http-status: 404`, and this sets the status the page is meant to have.
// Distribution-wide custom error responses would do it too, but they would also turn the API's 403
// and 404 problem documents into HTML. Runs on cache hits too, so the cached 200 never reaches a viewer.
var STATUS_HEADER = 'x-amz-meta-http-status'
var REASONS = { 404: 'Not Found', 410: 'Gone' }

function handler(event) {
  var response = event.response
  var marker = response.headers[STATUS_HEADER]
  if (!marker) return response
  delete response.headers[STATUS_HEADER]
  var status = parseInt(marker.value, 10)
  if (response.statusCode === 200 && REASONS[status]) {
    response.statusCode = status
    response.statusDescription = REASONS[status]
  }
  return response
}
