import { createStreamPublisher, type PublisherPorts } from '../../api/streams'
import { photoEvents } from '../../use-cases/events'

/** blog-site's photos table stream: the subscribers of a post hear each photo's result. */
export const createConsumer = (ports: PublisherPorts, options: { concurrency: number }) =>
  createStreamPublisher(photoEvents, ports, options)
