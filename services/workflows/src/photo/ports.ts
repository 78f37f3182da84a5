/** Reads the source photo and stores renditions; an S3 adapter in AWS and locally (s3rver). */
export interface PhotoStore {
  /** The photo's bytes, or `undefined` if there is no such object. */
  read(source: { bucket: string; key: string }): Promise<Uint8Array | undefined>
  /** Writes one output object of a branch; returns its key. */
  write(key: string, body: Uint8Array, contentType: string): Promise<string>
}
