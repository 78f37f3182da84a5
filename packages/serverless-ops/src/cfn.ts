/**
 * The CloudFormation shapes the features read and write (the shared model's, with properties typed
 * loosely: the plugin builds them and osls validates the result) and the helpers they share.
 */
import type { CfnResource, CfnTemplate } from '@app/cloudformation'

export { collectIds, dependsOnOf, isRecord, referencedId } from '@app/cloudformation'

// biome-ignore lint/suspicious/noExplicitAny: the features write properties of every resource type
type Properties = Record<string, any>
export type Resource = CfnResource<Properties>
export type Resources = Record<string, Resource>
export type Template = CfnTemplate<Properties>
/** A value CloudFormation resolves: a literal or an intrinsic such as `{ Ref: X }`. */
export type Value = unknown

export const logicalName = (text: string) => text.replace(/[^A-Za-z0-9]/g, '')

/** The functions of a compiled template, as [logicalId, resource] pairs. */
export const functionsOf = (resources: Resources): [string, Resource][] =>
  Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')

/** The trust policy of a role an AWS service assumes (optionally only on behalf of this account). */
export const assumableBy = (service: string, { sameAccount = false } = {}) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sameAccount
        ? { Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }
        : {}),
    },
  ],
})
