import { createStreamPublisher, type PublisherPorts } from '../../api/streams'
import { todoEvents } from '../../use-cases/events'

/** todo-api's todos table stream: the owner's connections hear every change of their todos. */
export const createConsumer = (ports: PublisherPorts, options: { concurrency: number }) =>
  createStreamPublisher(todoEvents, ports, options)
