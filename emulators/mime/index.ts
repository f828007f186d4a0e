export { createRandom, mixSeed, type SeededRandom } from './random.js';
export { planMessage, seededMessageId, type MailAddress, type MessagePlan, type MessagePlanInput, type PlannedAttachment, type SeededMessageKind } from './message-plan.js';
export { renderMessage } from './render.js';
export { sampleMessageSize } from './size-distribution.js';
export { givenNames, surnames } from './vocabulary.js';
