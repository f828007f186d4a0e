import type { MailAddress, MessagePlan } from '../../mime/message-plan.js';
import { ODataQueryError } from '../http/odata.js';
import { conversationId } from '../state/ids.js';
import { folderNumberOf } from '../state/mail-folder.js';
import type { Mailbox, MessageRecord } from '../state/mailbox.js';

/**
 * A message as Graph v1.0 shows it. v1.0 has no size property; the size comes
 * through the MAPI property PidTagMessageSize (tag 0x0E08), requested with
 * $expand=singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')
 * (or its 64-bit form 'Long 0x0E08').
 */
export const messageProperties: ReadonlySet<string> = new Set([
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'uniqueBody',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
]);

/** Returned when no $select is given (uniqueBody is only returned on request, as in Graph). */
const defaultProperties = [...messageProperties].filter((property) => property !== 'uniqueBody');

/** Properties that need the message plan (subject, addresses, body) rather than the stored record. */
const planProperties = new Set([
  'subject',
  'bodyPreview',
  'body',
  'uniqueBody',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'replyTo',
  'hasAttachments',
  'internetMessageId',
  'sentDateTime',
  'conversationId',
]);

export interface MessageView {
  select?: readonly string[];
  /** Normalised extended property ids asked for with $expand, e.g. "Integer 0xe08". */
  extendedProperties: readonly string[];
  immutableIds: boolean;
}

const sizeTag = '0xe08';
const supportedExtendedTypes = new Set(['integer', 'long']);

/** Parses $expand=singleValueExtendedProperties($filter=id eq '...' [or id eq '...']). */
export function parseMessageExpand(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const match = /^\s*singleValueExtendedProperties\s*\(\s*\$filter\s*=\s*(.+)\)\s*$/i.exec(raw);
  if (!match?.[1]) throw new ODataQueryError('BadRequest', `Parsing OData Select and Expand failed: the expansion '${raw}' is not supported.`);
  const ids: string[] = [];
  for (const idMatch of match[1].matchAll(/id\s+eq\s+'([^']+)'/gi)) {
    const [type, tag] = (idMatch[1] ?? '').trim().split(/\s+/);
    if (!type || !tag || !/^0x[0-9a-f]+$/i.test(tag)) throw new ODataQueryError('ErrorInvalidProperty', `The extended property id '${idMatch[1]}' is not valid.`);
    ids.push(`${type[0]?.toUpperCase()}${type.slice(1).toLowerCase()} 0x${Number.parseInt(tag, 16).toString(16)}`);
  }
  if (ids.length === 0) throw new ODataQueryError('BadRequest', `Parsing OData Select and Expand failed: no property id in '${raw}'.`);
  return ids;
}

export const isoSeconds = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const recipient = (address: MailAddress): { emailAddress: MailAddress } => ({ emailAddress: { name: address.name, address: address.address } });

function changeKeyOf(record: MessageRecord): string {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(record.number, 0);
  bytes.writeUInt32BE(record.changeCount, 4);
  return `CQAAABYAAA${bytes.toString('base64url')}`;
}

function extendedPropertyValues(record: MessageRecord, ids: readonly string[]): { id: string; value: string }[] {
  return ids
    .filter((id) => {
      const [type, tag] = id.split(' ');
      return tag === sizeTag && supportedExtendedTypes.has((type ?? '').toLowerCase());
    })
    .map((id) => ({ id, value: String(record.size) }));
}

export function messageJson(mailbox: Mailbox, record: MessageRecord, view: MessageView): Record<string, unknown> {
  const wanted = view.select ?? defaultProperties;
  let plan: MessagePlan | undefined;
  const planOf = (): MessagePlan => (plan ??= mailbox.plan(record));
  const id = mailbox.idOf(record, view.immutableIds);
  const changeKey = changeKeyOf(record);
  const json: Record<string, unknown> = { '@odata.type': '#microsoft.graph.message', '@odata.etag': `W/"${changeKey}"`, id };

  for (const property of wanted) {
    if (property === 'id') continue;
    if (planProperties.has(property)) planOf();
    switch (property) {
      case 'createdDateTime':
      case 'receivedDateTime':
        json[property] = isoSeconds(record.receivedAt);
        break;
      case 'lastModifiedDateTime':
        json[property] = isoSeconds(record.lastModifiedAt);
        break;
      case 'changeKey':
        json[property] = changeKey;
        break;
      case 'categories':
        json[property] = [...record.categories];
        break;
      case 'sentDateTime':
        json[property] = isoSeconds(Math.floor(planOf().sentAt.getTime() / 1000));
        break;
      case 'hasAttachments':
        json[property] = planOf().hasAttachments;
        break;
      case 'internetMessageId':
        // A message without a Message-ID header (raw MIME, or made without one) has no internetMessageId.
        json[property] = planOf().withoutMessageId ? null : planOf().messageId || null;
        break;
      case 'subject':
        json[property] = planOf().subject;
        break;
      case 'bodyPreview':
        json[property] = planOf().text.replace(/\s+/g, ' ').trim().slice(0, 255);
        break;
      case 'body':
      case 'uniqueBody':
        json[property] = { contentType: 'text', content: planOf().text };
        break;
      case 'importance':
        json[property] = 'normal';
        break;
      case 'parentFolderId':
        json[property] = mailbox.folderIdOf(record.folder);
        break;
      case 'conversationId':
        json[property] = conversationId(mailbox.number, planOf().conversationRoot);
        break;
      case 'isDeliveryReceiptRequested':
      case 'isReadReceiptRequested':
        json[property] = false;
        break;
      case 'isRead':
        json[property] = record.isRead;
        break;
      case 'isDraft':
        json[property] = record.folder === folderNumberOf('drafts');
        break;
      case 'webLink':
        json[property] = `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`;
        break;
      case 'inferenceClassification':
        json[property] = 'focused';
        break;
      case 'sender':
      case 'from':
        json[property] = recipient(planOf().from);
        break;
      case 'toRecipients':
        json[property] = planOf().to.map(recipient);
        break;
      case 'ccRecipients':
        json[property] = planOf().cc.map(recipient);
        break;
      case 'bccRecipients':
      case 'replyTo':
        json[property] = [];
        break;
      case 'flag':
        json[property] = { flagStatus: record.flagStatus };
        break;
    }
  }
  if (view.extendedProperties.length > 0) json.singleValueExtendedProperties = extendedPropertyValues(record, view.extendedProperties);
  return json;
}

/**
 * A message changed in place, as message delta reports it: the id, the
 * changed properties the client selected, and parentFolderId (which Graph
 * sends even when not selected, microsoftgraph/microsoft-graph-docs#7776).
 * No extended properties, no subject, no internetMessageId.
 */
export function updatedMessageJson(mailbox: Mailbox, record: MessageRecord, view: MessageView, changed: readonly string[]): Record<string, unknown> {
  const wanted = new Set(view.select ?? defaultProperties);
  const select = ['id', ...changed.filter((property) => wanted.has(property)), 'parentFolderId'];
  return messageJson(mailbox, record, { ...view, select, extendedProperties: [] });
}

/** The shape of a message in delta that left the folder or was deleted. */
export function removedMessageJson(id: string): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } };
}
