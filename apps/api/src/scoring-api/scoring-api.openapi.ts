/**
 * OpenAPI description of the scoring API: request and response schemas, and every error status with
 * an example problem document, so a client generator and a human reader see the same contract.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import { MAX_RECORDS_PER_REQUEST } from './predict-request.schema';

// @nestjs/swagger does not export SchemaObject from its package entry; take it from the document type.
type SchemaObject = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;

const problemSchema: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { pointer: { type: 'string', description: 'JSON pointer into the request body' }, detail: { type: 'string' } },
      },
    },
    retryAfterSeconds: { type: 'integer', description: 'Also sent as the Retry-After header' },
  },
};

const retryAfterHeader = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

function problemExample(status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return { type: `https://fieldcast.dev/problems/${status}`, title, status, detail, instance: '/v1/predict/lead-score', ...extra };
}

function problemResponse(
  status: number,
  description: string,
  examples: Record<string, { summary: string; value: unknown }>,
  retryAfter = false,
) {
  return ApiResponse({
    status,
    description,
    ...(retryAfter ? { headers: retryAfterHeader } : {}),
    content: { 'application/problem+json': { schema: problemSchema, examples } },
  });
}

const modelMetadataSchema: SchemaObject = {
  type: 'object',
  properties: {
    modelId: { type: 'string' },
    version: { type: 'string' },
    kind: { type: 'string', enum: ['linear', 'rules'] },
    task: { type: 'string' },
    trainedAt: { type: 'string', format: 'date-time' },
    trainingSize: { type: 'integer' },
    featureSchemaHash: { type: 'string' },
    metrics: { type: 'object', additionalProperties: { type: 'number' } },
    autoWriteAllowed: { type: 'boolean' },
    artifactId: { type: 'string', format: 'uuid', nullable: true, description: 'model_artifact id; null for the shipped default' },
    source: { type: 'string', enum: ['connection', 'instance', 'shipped'] },
  },
};

const predictionSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'abstained', 'model'],
  properties: {
    id: { type: 'string' },
    abstained: { type: 'boolean' },
    reason: { type: 'string', description: 'Why the model abstained (abstained: true only)' },
    prediction: { oneOf: [{ type: 'number' }, { type: 'string' }], description: 'Probability (binary tasks) or label (categories)' },
    confidence: { type: 'number', description: 'Calibrated probability of the returned prediction' },
    score: { type: 'integer', minimum: 1, maximum: 99 },
    tier: { type: 'string', enum: ['A', 'B', 'C', 'D'] },
    confidenceLevel: { type: 'string', enum: ['high', 'medium', 'low'] },
    alternatives: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, probability: { type: 'number' } } } },
    factors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          value: { type: 'string' },
          contribution: { type: 'number', description: 'Signed, in log-odds' },
          direction: { type: 'string', enum: ['+', '-'] },
          reason: { type: 'string' },
        },
      },
    },
    model: modelMetadataSchema,
  },
};

const exampleModel = {
  modelId: 'lead-score-3f2a',
  version: '7',
  kind: 'linear',
  task: 'lead-score',
  trainedAt: '2026-11-20T03:00:00.000Z',
  trainingSize: 4210,
  featureSchemaHash: '9c1e…',
  metrics: { auc: 0.87, ece: 0.018, brier: 0.11 },
  autoWriteAllowed: true,
  artifactId: '0b0f8a52-4c0e-4d7e-9f3c-2f6f4f1f8d11',
  source: 'connection',
};

export function ApiPredictOperation(task: string): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth('api-key'),
    ApiBody({
      description: `1 to ${MAX_RECORDS_PER_REQUEST} records; connectionId selects that connection's model (else the instance default answers).`,
      schema: {
        type: 'object',
        required: ['records'],
        additionalProperties: false,
        properties: {
          records: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_RECORDS_PER_REQUEST,
            items: {
              type: 'object',
              required: ['id', 'fields'],
              additionalProperties: false,
              properties: {
                id: { type: 'string', minLength: 1, maxLength: 256 },
                fields: {
                  type: 'object',
                  additionalProperties: {
                    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array' }],
                    nullable: true,
                  },
                },
              },
            },
          },
          connectionId: { type: 'string', format: 'uuid' },
        },
      },
      examples: {
        oneRecord: {
          summary: 'One record, default model',
          value: { records: [{ id: '00Q5g00000A1', fields: { LeadSource: 'Webinar', Industry: 'Software', NumberOfEmployees: 250 } }] },
        },
      },
    }),
    ApiResponse({
      status: 200,
      description: `One answer per record, in request order: a prediction with confidence, tier / confidence level, alternatives (${task === 'ticket-category' ? 'top 3 labels' : 'categories only'}), factors and model metadata, or abstained with the reason.`,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              task: { type: 'string' },
              model: modelMetadataSchema,
              predictions: { type: 'array', items: predictionSchema },
              cache: { type: 'object', properties: { hits: { type: 'integer' }, misses: { type: 'integer' } } },
            },
          },
          example: {
            task: 'lead-score',
            model: exampleModel,
            predictions: [
              {
                id: '00Q5g00000A1',
                abstained: false,
                prediction: 0.81,
                confidence: 0.81,
                score: 81,
                tier: 'A',
                confidenceLevel: 'high',
                factors: [{ field: 'LeadSource', value: 'Webinar', contribution: 0.92, direction: '+', reason: '+ Lead source = Webinar' }],
                model: exampleModel,
              },
            ],
            cache: { hits: 0, misses: 1 },
          },
        },
      },
    }),
    problemResponse(400, 'The body is not a valid prediction request; each problem names its JSON pointer and what was expected.', {
      missingId: {
        summary: 'A record without an id',
        value: problemExample(400, 'Bad Request', 'The request body is not a valid prediction request (1 problem).', {
          errors: [{ pointer: '/records/3/id', detail: '"id" is required' }],
        }),
      },
      notJson: {
        summary: 'Malformed JSON',
        value: problemExample(400, 'Bad Request', 'The request body is not valid JSON: Unexpected end of JSON input'),
      },
    }),
    problemResponse(401, 'Missing, unknown or revoked API key.', {
      missing: { summary: 'No key', value: problemExample(401, 'Unauthorized', 'Send the API key as "Authorization: Bearer fck_…".') },
      revoked: {
        summary: 'Revoked key',
        value: problemExample(401, 'Unauthorized', 'The API key has been revoked. Ask an administrator for a new one.'),
      },
    }),
    problemResponse(403, "The key's scopes do not include this task.", {
      scope: {
        summary: 'Out of scope',
        value: problemExample(403, 'Forbidden', `This API key may not call ${task}; its scopes are: ticket-category.`, {
          requiredScope: task,
        }),
      },
    }),
    problemResponse(413, `The body is larger than the size limit, or carries more than ${MAX_RECORDS_PER_REQUEST} records.`, {
      tooManyRecords: {
        summary: '1,001 records',
        value: problemExample(413, 'Content Too Large', 'A request may carry at most 1,000 records; split the batch.', {
          errors: [{ pointer: '/records', detail: 'expected 1 to 1,000 records, got 1,001' }],
        }),
      },
      tooLarge: {
        summary: 'Body over the size limit',
        value: problemExample(413, 'Content Too Large', 'The request body is larger than the limit of 1048576 bytes.'),
      },
    }),
    problemResponse(415, 'The body is not application/json.', {
      mediaType: {
        summary: 'Wrong Content-Type',
        value: problemExample(415, 'Unsupported Media Type', 'Send the body as application/json.'),
      },
    }),
    problemResponse(422, 'Well-formed, but cannot be answered as asked.', {
      duplicateIds: {
        summary: 'Duplicate record ids',
        value: problemExample(
          422,
          'Unprocessable Content',
          'Record ids must be unique within a request so each answer can be matched to its record.',
          {
            errors: [
              { pointer: '/records/5/id', detail: 'duplicate id "a1", already used by /records/2/id; ids must be unique within a request' },
            ],
          },
        ),
      },
      unknownConnection: {
        summary: 'Unknown connectionId',
        value: problemExample(422, 'Unprocessable Content', 'connectionId does not name a connection of this Fieldcast instance.', {
          errors: [{ pointer: '/connectionId', detail: 'no connection with id 6f1c…; omit connectionId to use the default model' }],
        }),
      },
    }),
    problemResponse(
      429,
      "Over the key's per-minute rate limit; Retry-After says when the next request will pass.",
      {
        rateLimited: {
          summary: 'Rate limited',
          value: problemExample(429, 'Too Many Requests', 'This API key may make 600 requests per minute; retry after 1 s.', {
            retryAfterSeconds: 1,
          }),
        },
      },
      true,
    ),
    problemResponse(
      503,
      'No model can answer yet, or the request missed its deadline; Retry-After says when to try again.',
      {
        deadline: {
          summary: 'Deadline exceeded',
          value: problemExample(
            503,
            'Service Unavailable',
            'The prediction did not finish within the 2000 ms deadline; retry shortly or send fewer records per request.',
            {
              retryAfterSeconds: 1,
            },
          ),
        },
        noModel: {
          summary: 'No model for the task',
          value: problemExample(
            503,
            'Service Unavailable',
            'No model can answer lead-score yet: no trained champion for this connection or instance and no shipped default.',
            {
              retryAfterSeconds: 300,
            },
          ),
        },
      },
      true,
    ),
  );
}

export function ApiModelErrors(): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth('api-key'),
    problemResponse(400, 'connectionId is not a UUID.', {
      badConnection: {
        summary: 'Bad connectionId',
        value: problemExample(400, 'Bad Request', 'connectionId must be a UUID.', {
          errors: [{ pointer: '/connectionId', detail: 'expected a UUID' }],
        }),
      },
    }),
    problemResponse(401, 'Missing, unknown or revoked API key.', {
      missing: { summary: 'No key', value: problemExample(401, 'Unauthorized', 'The API key is not valid.') },
    }),
    problemResponse(403, "The key's scopes do not include this task.", {
      scope: {
        summary: 'Out of scope',
        value: problemExample(403, 'Forbidden', 'This API key may not call lead-score; its scopes are: ticket-category.'),
      },
    }),
    problemResponse(404, 'Unknown task.', {
      task: {
        summary: 'Unknown task',
        value: problemExample(404, 'Not Found', 'Unknown task "churn"; expected lead-score, ticket-category or escalation-risk.'),
      },
    }),
    problemResponse(422, 'connectionId does not name a connection.', {
      unknownConnection: {
        summary: 'Unknown connection',
        value: problemExample(422, 'Unprocessable Content', 'connectionId does not name a connection of this Fieldcast instance.'),
      },
    }),
    problemResponse(
      429,
      'Rate limited.',
      {
        rateLimited: {
          summary: 'Rate limited',
          value: problemExample(429, 'Too Many Requests', 'retry after 1 s.', { retryAfterSeconds: 1 }),
        },
      },
      true,
    ),
    problemResponse(
      503,
      'No model can answer yet.',
      {
        noModel: {
          summary: 'No model',
          value: problemExample(503, 'Service Unavailable', 'No model can answer lead-score yet.', { retryAfterSeconds: 300 }),
        },
      },
      true,
    ),
  );
}
