/** The ticket of `POST /api/posts/{slug}/photos`: a presigned PUT and the headers it was signed with. */
export interface UploadTicket {
  photoKey: string
  upload: { url: string; method: string; headers: Record<string, string>; expiresAt: string }
}

/**
 * PUTs a file to its presigned URL with XMLHttpRequest, the one browser API that reports upload
 * progress (fetch has no upload progress). Sends exactly the signed headers (content type, and
 * `if-none-match: *`: one URL makes one object); the browser sets Content-Length from the file.
 * Resolves on 2xx; a 412 means the object exists already (an earlier attempt with this URL landed).
 */
export const putWithProgress = (
  ticket: UploadTicket,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> =>
  new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open(ticket.upload.method, ticket.upload.url)
    for (const [name, value] of Object.entries(ticket.upload.headers)) {
      // Forbidden for scripts (the browser sends it itself, from the body).
      if (name.toLowerCase() !== 'content-length') request.setRequestHeader(name, value)
    }
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    })
    request.addEventListener('load', () => {
      if ((request.status >= 200 && request.status < 300) || request.status === 412) {
        onProgress(1)
        resolve()
      } else reject(new Error(`The upload was refused (HTTP ${request.status}).`))
    })
    request.addEventListener('error', () => reject(new Error('The upload failed: the connection broke.')))
    request.addEventListener('timeout', () => reject(new Error('The upload took too long.')))
    request.send(file)
  })
