import { invalidArgument } from './errors.js';
import { normalizeMessageId, type Mailbox, type StoredLabel, type StoredMessage } from './mailbox.js';

type Predicate = (message: StoredMessage) => boolean;

export interface MessageQuery {
  matches: Predicate;
  /** Message-IDs named by rfc822msgid: terms, to start from the index instead of scanning. */
  messageIds: string[];
  /** The query itself asks for spam or trash (in:spam, in:trash, in:anywhere), as Gmail honours. */
  reachesSpamOrTrash: boolean;
}

/** Splits on spaces outside double quotes; keeps a leading '-' on its term. */
function terms(q: string): string[] {
  return q.match(/-?[^\s"]*(?:"[^"]*"[^\s"]*)*/g)?.filter((term) => term !== '' && term !== '-') ?? [];
}

function unquote(value: string): string {
  return value.replace(/^"(.*)"$/, '$1');
}

/** Gmail's search form of a label name: lower case, '/' and spaces as '-'. */
function searchForm(name: string): string {
  return name.toLowerCase().replace(/[\s/]+/g, '-');
}

function findLabel(mailbox: Mailbox, value: string): StoredLabel | undefined {
  const wanted = value.toLowerCase();
  for (const label of mailbox.labels.values()) {
    if (label.id.toLowerCase() === wanted || label.name.toLowerCase() === wanted || searchForm(label.name) === searchForm(value)) return label;
  }
  return undefined;
}

const hasLabel =
  (labelId: string | undefined): Predicate =>
  (message) =>
    labelId !== undefined && message.labelIds.includes(labelId);

function headerValue(message: StoredMessage, name: string): string {
  return message.headers
    .filter((header) => header.name.toLowerCase() === name)
    .map((header) => header.value)
    .join(' ')
    .toLowerCase();
}

/** after:/before: take yyyy/mm/dd (UTC here; Gmail uses the account's zone) or epoch seconds. */
function parseSearchDate(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  if (!match) throw invalidArgument(`Invalid date in search query: ${value}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function inPredicate(mailbox: Mailbox, value: string): Predicate {
  const folder = value.toLowerCase();
  if (folder === 'anywhere') return () => true;
  const systemId = { inbox: 'INBOX', sent: 'SENT', trash: 'TRASH', spam: 'SPAM', drafts: 'DRAFT', draft: 'DRAFT', starred: 'STARRED', important: 'IMPORTANT', chats: 'CHAT', chat: 'CHAT' }[folder];
  return hasLabel(systemId ?? findLabel(mailbox, value)?.id);
}

function isPredicate(value: string): Predicate {
  switch (value.toLowerCase()) {
    case 'unread':
      return hasLabel('UNREAD');
    case 'read':
      return (message) => !message.labelIds.includes('UNREAD');
    case 'starred':
      return hasLabel('STARRED');
    case 'important':
      return hasLabel('IMPORTANT');
    default:
      throw invalidArgument(`Unsupported search term: is:${value}`);
  }
}

/**
 * The subset of Gmail's search syntax a sync needs: rfc822msgid:, label:,
 * in:, is:, after:, before:, subject:, from:, to:, bare words, and '-' to
 * negate. Other operators are refused loudly rather than silently ignored.
 */
export function parseMessageQuery(q: string | undefined, mailbox: Mailbox): MessageQuery {
  const predicates: Predicate[] = [];
  const messageIds: string[] = [];
  let reachesSpamOrTrash = false;

  for (const term of terms(q ?? '')) {
    const negated = term.startsWith('-');
    const body = negated ? term.slice(1) : term;
    const colon = body.indexOf(':');
    const operator = colon > 0 ? body.slice(0, colon).toLowerCase() : '';
    const value = unquote(colon > 0 ? body.slice(colon + 1) : body);
    let predicate: Predicate;
    switch (operator) {
      case 'rfc822msgid': {
        const wanted = normalizeMessageId(value);
        if (!negated) messageIds.push(wanted);
        predicate = (message) => message.messageIdHeader !== null && normalizeMessageId(message.messageIdHeader) === wanted;
        break;
      }
      case 'label':
        predicate = hasLabel(findLabel(mailbox, value)?.id);
        if (!negated && ['spam', 'trash'].includes(value.toLowerCase())) reachesSpamOrTrash = true;
        break;
      case 'in':
        predicate = inPredicate(mailbox, value);
        if (!negated && ['spam', 'trash', 'anywhere'].includes(value.toLowerCase())) reachesSpamOrTrash = true;
        break;
      case 'is':
        predicate = isPredicate(value);
        break;
      case 'after': {
        const after = parseSearchDate(value);
        predicate = (message) => message.internalDate >= after;
        break;
      }
      case 'before': {
        const before = parseSearchDate(value);
        predicate = (message) => message.internalDate < before;
        break;
      }
      case 'subject':
      case 'from':
      case 'to': {
        const needle = value.toLowerCase();
        predicate = (message) => (operator === 'subject' ? message.subject.toLowerCase() : headerValue(message, operator)).includes(needle);
        break;
      }
      case '': {
        const needle = value.toLowerCase();
        predicate = (message) => [message.subject.toLowerCase(), headerValue(message, 'from'), headerValue(message, 'to')].some((text) => text.includes(needle));
        break;
      }
      default:
        throw invalidArgument(`Unsupported search operator: ${operator}:`);
    }
    predicates.push(negated ? (message) => !predicate(message) : predicate);
  }

  return { matches: (message) => predicates.every((predicate) => predicate(message)), messageIds, reachesSpamOrTrash };
}
