import { ApiError, type Photo, request } from '../api'
import { element } from '../dom'
import { markdownRenderer } from '../markdown'
import { SignInError, signIn } from './cognito'
import { STUDIO_CONFIG_PATH, type StudioConfig, studioConfigSchema } from './config'
import { type Claims, claimsOf, photoFailureText, refusalText, slugify } from './format'
import { connectLive, type Live, type LiveMessage } from './live'
import { putWithProgress, type UploadTicket } from './upload'

/**
 * The author studio (/studio/): sign in against the user pool, list one's own posts, write or edit
 * one in Markdown with a live preview (the readers' rendering, ./markdown), publish, upload photos
 * with a progress bar, and see their thumbnails (or why a photo failed) pushed over the WebSocket.
 * The page hides nothing for security: every write is the API's decision (a reader's token gets
 * its 403, shown in words). The access token lives in memory only: a reload signs out.
 */

const byId = <T extends HTMLElement>(id: string) => {
  const node = document.getElementById(id)
  if (!node) throw new Error(`studio page: #${id} is missing`)
  return node as T
}

interface OwnPost {
  slug: string
  title: string
  summary: string
  body: string
  tags: string[]
  /** The display name readers see. */
  author?: string
  authorSub?: string
  version: number
}
type Summary = Omit<OwnPost, 'body' | 'authorSub'>

const page = {
  status: byId('studio-status'),
  signInSection: byId('sign-in'),
  signInForm: byId<HTMLFormElement>('sign-in-form'),
  signInMessage: byId('sign-in-message'),
  email: byId<HTMLInputElement>('sign-in-email'),
  password: byId<HTMLInputElement>('sign-in-password'),
  workspace: byId('workspace'),
  who: byId('who'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  myPosts: byId<HTMLUListElement>('my-posts'),
  myPostsStatus: byId('my-posts-status'),
  newPost: byId<HTMLButtonElement>('new-post'),
  editorTitle: byId('editor-title'),
  postForm: byId<HTMLFormElement>('post-form'),
  title: byId<HTMLInputElement>('post-title'),
  slug: byId<HTMLInputElement>('post-slug'),
  slugEcho: byId('post-slug-echo'),
  summary: byId<HTMLInputElement>('post-summary'),
  authorName: byId<HTMLInputElement>('post-author'),
  body: byId<HTMLTextAreaElement>('post-body'),
  publish: byId<HTMLButtonElement>('publish'),
  postMessage: byId('post-message'),
  preview: byId('preview'),
  photosPanel: byId('photos-panel'),
  photoForm: byId<HTMLFormElement>('photo-form'),
  photoFile: byId<HTMLInputElement>('photo-file'),
  photoCaption: byId<HTMLInputElement>('photo-caption'),
  upload: byId<HTMLButtonElement>('upload'),
  photoMessage: byId('photo-message'),
  photos: byId<HTMLUListElement>('studio-photos'),
}

const say = (node: HTMLElement, text: string, state: 'success' | 'error' | 'pending' = 'pending') => {
  node.dataset.state = state
  node.textContent = text
}

const render = markdownRenderer()

interface Session {
  token: string
  claims: Claims
  live?: Live
}
let config: StudioConfig
let session: Session | undefined
/** The post being edited: undefined for a new one (publish creates it), else its slug and version. */
let editing: { slug: string; version: number } | undefined

const authorised = <T>(path: string, init: RequestInit = {}) => {
  if (!session) throw new ApiError(401)
  return request<T>(path, {
    ...init,
    // Our own writes must be read back as they are, not from a cache.
    cache: 'no-store',
    headers: {
      authorization: `Bearer ${session.token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  })
}

const updatePreview = () => {
  page.preview.replaceChildren(render(page.body.value || '*Nothing written yet.*'))
}

const fillEditor = (post?: OwnPost) => {
  editing = post ? { slug: post.slug, version: post.version } : undefined
  page.editorTitle.textContent = post ? `Editing “${post.title}”` : 'New post'
  page.title.value = post?.title ?? ''
  page.slug.value = post?.slug ?? ''
  page.slug.readOnly = Boolean(post)
  page.slugEcho.textContent = page.slug.value || '…'
  page.summary.value = post?.summary ?? ''
  // A new post keeps the name typed for the last one; an edit shows the post's own.
  if (post?.author) page.authorName.value = post.author
  page.body.value = post?.body ?? ''
  page.publish.textContent = post ? 'Publish changes' : 'Publish'
  say(page.postMessage, '')
  updatePreview()
  page.photosPanel.hidden = !post
  page.photos.replaceChildren()
  if (post) void openPhotos(post.slug)
}

// ---- Own posts -------------------------------------------------------------------------------

/** Parallel reads of posts while listing: a few at a time, so a long list never floods the API. */
const LIST_CONCURRENCY = 4

/**
 * The caller's posts: every page of the public list, then each post's own `authorSub` (the list's
 * index does not project it), a few reads at a time; public GETs the CDN answers from its cache.
 */
const loadOwnPosts = async () => {
  if (!session) return
  say(page.myPostsStatus, 'Loading your posts…')
  const summaries: Summary[] = []
  const own: OwnPost[] = []
  let cursor: string | undefined
  try {
    do {
      const query = `limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const result = await request<{ items: Summary[]; nextCursor?: string }>(`/api/posts?${query}`, {
        cache: 'no-store',
      })
      summaries.push(...result.items)
      cursor = result.nextCursor
    } while (cursor)
    const found: (OwnPost | undefined)[] = []
    let next = 0
    const worker = async () => {
      while (next < summaries.length) {
        const index = next++
        const post = await request<OwnPost>(`/api/posts/${encodeURIComponent(summaries[index]!.slug)}`)
        if (post.authorSub === session?.claims.sub) found[index] = post
      }
    }
    await Promise.all(Array.from({ length: LIST_CONCURRENCY }, worker))
    // Newest first, as the list came (the workers finish in any order).
    own.push(...found.filter((post): post is OwnPost => post !== undefined))
  } catch (error) {
    say(page.myPostsStatus, 'Your posts could not be loaded. Please reload the page.', 'error')
    console.error(error)
    return
  }
  page.myPosts.replaceChildren(
    ...own.map((post) =>
      element(
        'li',
        {},
        element('a', { href: `/posts/${post.slug}` }, post.title),
        element(
          'button',
          { type: 'button', class: 'secondary', 'data-edit': post.slug },
          `Edit “${post.title}”`,
        ),
      ),
    ),
  )
  say(page.myPostsStatus, own.length ? '' : 'You have no posts yet.')
}

page.myPosts.addEventListener('click', async (event) => {
  const slug = (event.target as HTMLElement).closest('button')?.dataset.edit
  if (!slug) return
  try {
    fillEditor(await request<OwnPost>(`/api/posts/${encodeURIComponent(slug)}`, { cache: 'no-store' }))
    page.title.focus()
  } catch (error) {
    say(page.postMessage, 'The post could not be opened.', 'error')
    console.error(error)
  }
})
page.newPost.addEventListener('click', () => {
  fillEditor()
  page.title.focus()
})

// ---- Writing and publishing ------------------------------------------------------------------

page.title.addEventListener('input', () => {
  if (editing || page.slug.dataset.edited) return
  page.slug.value = slugify(page.title.value)
  page.slugEcho.textContent = page.slug.value || '…'
})
page.slug.addEventListener('input', () => {
  page.slug.dataset.edited = 'true'
  page.slugEcho.textContent = page.slug.value || '…'
})
page.body.addEventListener('input', updatePreview)

page.postForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  for (const field of [page.title, page.slug, page.body]) {
    field.setAttribute('aria-invalid', String(!field.validity.valid))
    if (!field.validity.valid) {
      say(
        page.postMessage,
        `Please fill in “${field.labels?.[0]?.textContent ?? field.name}” correctly.`,
        'error',
      )
      field.focus()
      return
    }
  }
  const authorName = page.authorName.value.trim()
  const content = {
    title: page.title.value,
    summary: page.summary.value,
    body: page.body.value,
    // Optional for the API: without it a new post shows the blog's name, an edit keeps its own.
    ...(authorName ? { authorName } : {}),
  }
  page.publish.disabled = true
  say(page.postMessage, 'Publishing…')
  try {
    const post = editing
      ? await authorised<OwnPost>(`/api/posts/${encodeURIComponent(editing.slug)}`, {
          method: 'PUT',
          body: JSON.stringify({ ...content, version: editing.version }),
        })
      : await authorised<OwnPost>('/api/posts', {
          method: 'POST',
          body: JSON.stringify({ ...content, slug: page.slug.value }),
        })
    fillEditor(post)
    say(page.postMessage, `Published: “${post.title}” is live at /posts/${post.slug}.`, 'success')
    void loadOwnPosts()
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 500
    say(page.postMessage, refusalText(status, (error as ApiError).detail), 'error')
    if (status === 401) signOut()
  } finally {
    page.publish.disabled = false
  }
})

// ---- Photos ----------------------------------------------------------------------------------

const photoItems = new Map<string, HTMLLIElement>()

const photoItem = (photoKey: string, caption: string) => {
  let item = photoItems.get(photoKey)
  if (!item) {
    item = element('li', { 'data-photo': photoKey }, element('p', { class: 'caption' }, caption || 'Photo'))
    photoItems.set(photoKey, item)
    page.photos.append(item)
  }
  return item
}

const showReady = (photo: Photo) => {
  const item = photoItem(photo.photoKey, photo.caption ?? '')
  const smallest = photo.thumbnails[0]
  const state = element('p', { class: 'state' }, `Ready: ${photo.thumbnails.length} thumbnails.`)
  item.querySelector('progress')?.remove()
  item.querySelector('.state')?.remove()
  if (smallest)
    item.append(
      element('img', {
        src: smallest.url,
        alt: photo.caption || 'Thumbnail of the uploaded photo',
        ...(photo.width && photo.height ? { width: String(photo.width), height: String(photo.height) } : {}),
      }),
    )
  item.append(state)
}

const showFailed = (photoKey: string, reason: string, detail?: string) => {
  const item = photoItem(photoKey, '')
  item.querySelector('progress')?.remove()
  item.querySelector('.state')?.remove()
  item.append(element('p', { class: 'state failed' }, `Failed: ${photoFailureText(reason, detail)}`))
}

const onLive = (message: LiveMessage) => {
  const photo = message.photo as (Photo & { reason?: string; reasonDetail?: string }) | undefined
  if (!photo || message.post !== editing?.slug) return
  if (message.type === 'photo.ready') showReady(photo)
  if (message.type === 'photo.failed')
    showFailed(photo.photoKey, photo.reason ?? 'unknown', photo.reasonDetail)
}

/** Shows the post's photos so far and subscribes to its topic for what comes next. */
const openPhotos = async (slug: string) => {
  photoItems.clear()
  const unavailable = 'Live updates are unavailable: reload the page to see new thumbnails.'
  if (!session?.live) say(page.photoMessage, unavailable, 'error')
  else
    await session.live.subscribe(`post:${slug}`).catch((error: Error) => {
      say(page.photoMessage, unavailable, 'error')
      console.error(error)
    })
  try {
    const { items } = await request<{ items: Photo[] }>(`/api/posts/${encodeURIComponent(slug)}/photos`, {
      cache: 'no-store',
    })
    for (const photo of items) {
      if (photo.status === 'ready') showReady(photo)
      else
        photoItem(photo.photoKey, photo.caption ?? '').append(element('p', { class: 'state' }, 'Processing…'))
    }
  } catch (error) {
    console.error(error)
  }
}

page.photoForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  const file = page.photoFile.files?.[0]
  if (!editing || !file) {
    say(page.photoMessage, 'Please choose a photo first.', 'error')
    page.photoFile.focus()
    return
  }
  page.upload.disabled = true
  say(page.photoMessage, 'Asking for an upload address…')
  const caption = page.photoCaption.value.trim()
  try {
    const ticket = await authorised<UploadTicket>(`/api/posts/${encodeURIComponent(editing.slug)}/photos`, {
      method: 'POST',
      body: JSON.stringify({
        contentType: file.type,
        contentLength: file.size,
        ...(caption ? { caption } : {}),
      }),
    })
    const item = photoItem(ticket.photoKey, caption)
    const progress = element('progress', { max: '100', value: '0', 'aria-label': `Upload of ${file.name}` })
    item.append(progress)
    say(page.photoMessage, `Uploading ${file.name}…`)
    await putWithProgress(ticket, file, (fraction) => {
      progress.value = Math.round(fraction * 100)
    })
    if (!item.querySelector('img, .failed'))
      item.append(element('p', { class: 'state' }, 'Uploaded: making thumbnails…'))
    say(
      page.photoMessage,
      `${file.name} is uploaded; its thumbnails appear here when they are ready.`,
      'success',
    )
    page.photoForm.reset()
  } catch (error) {
    const status = error instanceof ApiError ? error.status : undefined
    say(
      page.photoMessage,
      status !== undefined ? refusalText(status, (error as ApiError).detail) : (error as Error).message,
      'error',
    )
  } finally {
    page.upload.disabled = false
  }
})

// ---- Session ---------------------------------------------------------------------------------

const signOut = () => {
  session?.live?.close()
  session = undefined
  page.workspace.hidden = true
  page.signInSection.hidden = false
  page.signInForm.reset()
  page.email.focus()
}
page.signOut.addEventListener('click', signOut)

page.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  if (!page.email.value || !page.password.value) {
    say(page.signInMessage, 'Please enter your email and password.', 'error')
    return
  }
  const button = page.signInForm.querySelector('button')!
  button.disabled = true
  say(page.signInMessage, 'Signing in…')
  try {
    const email = page.email.value.trim()
    const token = await signIn(config, email, page.password.value)
    session = { token, claims: claimsOf(token) }
    if (config.realtimeUrl) {
      session.live = await connectLive(config.realtimeUrl, token, onLive).catch((error: Error) => {
        console.error(error)
        return undefined
      })
    }
    say(page.signInMessage, '')
    page.signInForm.reset()
    // The address typed: the access token names the user by its pool username (a UUID when email is an alias).
    page.who.textContent = email
    page.signInSection.hidden = true
    page.workspace.hidden = false
    say(
      page.status,
      session.claims.groups.includes('authors')
        ? ''
        : 'Your account is not in the authors group: the blog will refuse to publish for it.',
    )
    fillEditor()
    page.title.focus()
    await loadOwnPosts()
  } catch (error) {
    say(
      page.signInMessage,
      error instanceof SignInError ? error.message : 'Signing in failed. Please try again.',
      'error',
    )
    if (!(error instanceof SignInError)) console.error(error)
  } finally {
    button.disabled = false
  }
})

const start = async () => {
  try {
    const response = await fetch(STUDIO_CONFIG_PATH, { cache: 'no-store' })
    config = studioConfigSchema.parse(await response.json())
  } catch (error) {
    say(page.status, 'The studio could not load its settings. Please reload the page.', 'error')
    console.error(error)
    return
  }
  say(page.status, '')
  page.signInSection.hidden = false
}

void start()
