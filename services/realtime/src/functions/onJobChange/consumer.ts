import { createStreamPublisher, type PublisherPorts } from '../../api/streams'
import { jobEvents } from '../../use-cases/events'

/** workflows' jobs table stream: the owner's connections hear each job's end. */
export const createConsumer = (ports: PublisherPorts, options: { concurrency: number }) =>
  createStreamPublisher(jobEvents, ports, options)
