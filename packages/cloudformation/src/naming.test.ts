import { describe, expect, it } from 'vitest'
import {
  functionBaseId,
  functionLogicalId,
  functionRoleLogicalId,
  logGroupIdOfFunction,
  logGroupLogicalId,
  stateMachineLogicalId,
} from './naming'

describe('Serverless naming', () => {
  it('gives functions, log groups and per-function roles the ids osls and its plugins generate', () => {
    expect(functionLogicalId('stripStrings')).toBe('StripStringsLambdaFunction')
    expect(functionLogicalId('create-todo_v2')).toBe('CreateDashtodoUnderscorev2LambdaFunction')
    expect(logGroupLogicalId('stripStrings')).toBe('StripStringsLogGroup')
    expect(functionRoleLogicalId('stripStrings')).toBe('StripStringsIamRoleLambdaExecution')
  })

  it('names state machines as serverless-step-functions does: id, then name, then the key', () => {
    expect(stateMachineLogicalId('textPipeline')).toBe('TextPipelineStepFunctionsStateMachine')
    expect(stateMachineLogicalId('textPipeline', { id: 'TextMachine' })).toBe('TextMachine')
    expect(stateMachineLogicalId('textPipeline', { name: 'text-pipeline' })).toBe('TextDashpipeline')
  })

  it('derives the ids of a function’s own resources from its logical id', () => {
    expect(functionBaseId('StripStringsLambdaFunction')).toBe('StripStrings')
    expect(logGroupIdOfFunction('StripStringsLambdaFunction')).toBe('StripStringsLogGroup')
  })
})
