import type { TextRef } from '@app/domain/text'

/** Where texts above the inline limit live between steps. */
export interface TextStore {
  /** The object's size in bytes, or `undefined` if it does not exist. */
  size(ref: Extract<TextRef, { kind: 's3' }>): Promise<number | undefined>
  /** The object's text as decoded UTF-8 chunks, in order; invalid UTF-8 is a `ValidationError`. */
  read(ref: Extract<TextRef, { kind: 's3' }>): AsyncIterable<string>
  /** Streams `chunks` into the object at `key` (multipart, bounded memory); returns its reference. */
  write(key: string, chunks: AsyncIterable<string>): Promise<Extract<TextRef, { kind: 's3' }>>
}
