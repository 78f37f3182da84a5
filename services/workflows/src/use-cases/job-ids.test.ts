import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { jobIdFor } from './job-ids'
import { photoJobInput } from './photo-states'

describe('jobIdFor', () => {
  it('is a function of its parts', () => {
    expect(jobIdFor('photo', 'b', 'photos/a.jpg', 'e', '1')).toBe(
      jobIdFor('photo', 'b', 'photos/a.jpg', 'e', '1'),
    )
    expect(jobIdFor('photo', 'b', 'photos/a.jpg', 'e', '1')).not.toBe(
      jobIdFor('photo', 'b', 'photos/a.jpg', 'e', '2'),
    )
  })

  it('keeps the parts apart', () => {
    expect(jobIdFor('a', 'bc')).not.toBe(jobIdFor('ab', 'c'))
    expect(jobIdFor('a,b')).not.toBe(jobIdFor('a', 'b'))
  })

  it('looks like every other job id: a UUID the status API accepts and a valid execution name', () => {
    const id = jobIdFor('photo', 'b', 'photos/é (1).jpg', 'e', '1')
    expect(z.uuid().safeParse(id).success).toBe(true)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(photoJobInput.shape.jobId.safeParse(id).success).toBe(true)
  })
})
