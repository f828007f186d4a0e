import { createHash } from 'node:crypto';

/**
 * What Gmail accepts as a user label's name, as far as it is known, so that
 * the sync picks a name Gmail takes instead of running into a refusal. Google
 * publishes no list: these are the names reported refused through the API
 * (400 "Invalid label name"). Whatever Gmail refuses beyond these is handled
 * when the label is created (GmailLabels), so this list only has to be good,
 * not complete.
 *
 * Sources: got-your-back gyb.py `reserved_labels` and its reports
 * (GAM-team/got-your-back#324 "Archive", #300/#323/#350 "Muted", #82 "Migrated", #140 "BIN",
 * #109 "DRAFTS"); gauteh/lieer#109 "archive", lieer#52/#171 "arxiv" and "Trash", lieer's local.py
 * (mute, muted, todo, voicemail); localised system names refused in got-your-back#227 (Czech),
 * #228 (French), #360 (Spanish), #429 (Dutch), #442 (Italian, "Enviado"), with Gmail's localised
 * system label names from got-your-back's labellang.py for the same and neighbouring languages.
 */
const reservedNames = [
  // Gmail's system labels and the names its UI shows for them
  'inbox',
  'sent',
  'draft',
  'drafts',
  'trash',
  'bin',
  'spam',
  'starred',
  'important',
  'unread',
  'chat',
  'chats',
  'all mail',
  'allmail',
  'sent mail',
  'snoozed',
  'scheduled',
  'outbox',
  // reported refused
  'archive',
  'archived',
  'arxiv',
  'muted',
  'mute',
  'migrated',
  'todo',
  'todos',
  'buzz',
  'voicemail',
  // localised names reported refused
  'nepřečtené',
  'messages envoyés',
  'no leídos',
  'gearchiveerd',
  'da leggere',
  'enviado',
  // de, fr, es, it, nl, pt, cs, pl, sv, da, no system label names
  'posteingang',
  'entwürfe',
  'gesendet',
  'markiert',
  'papierkorb',
  'wichtig',
  'boîte de réception',
  'brouillons',
  'corbeille',
  'suivis',
  'importants',
  'recibidos',
  'borradores',
  'destacados',
  'enviados',
  'importantes',
  'papelera',
  'posta in arrivo',
  'bozze',
  'cestino',
  'importanti',
  'posta inviata',
  'speciali',
  'belangrijk',
  'concepten',
  'met ster',
  'prullenbak',
  'verzonden berichten',
  'caixa de entrada',
  'com estrela',
  'e-mails enviados',
  'importante',
  'lixeira',
  'rascunhos',
  'caixote do lixo',
  'correio enviado',
  'doručená pošta',
  'důležité',
  'koncepty',
  'koš',
  'odeslaná pošta',
  's hvězdičkou',
  'odebrane',
  'kosz',
  'oznaczone gwiazdką',
  'ważne',
  'wersje robocze',
  'wysłane',
  'inkorgen',
  'papperskorgen',
  'skickat',
  'skräppost',
  'stjärnmärkta',
  'utkast',
  'viktigt',
  'indbakke',
  'kladder',
  'papirkurv',
  'sendte mails',
  'innboks',
  'sendt e-post',
  'søppelpost',
  'viktig',
];

const reserved: ReadonlySet<string> = new Set(reservedNames.map(folded));

/** The longest label name Gmail takes, in characters (the limit the project's issue reports). */
export const maxLabelNameLength = 225;

/** How many alternatives are tried for one refused name before the label counts as unavailable. */
export const labelNameAlternatives = 3;

function folded(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * Whether Gmail is known to refuse `segment` as the top-level part of a user
 * label. Other refusals (a 409 for Gmail's hidden "[Gmail]" namespace, names
 * like its CATEGORY_ system labels) are learnt from Gmail's answer.
 */
export function isKnownRefusedTopLevelName(segment: string): boolean {
  return reserved.has(folded(segment.trim()));
}

/** Characters, not UTF-16 units: "Entwürfe" and "受信トレイ" count what a person sees. */
function length(name: string): number {
  return [...name].length;
}

/**
 * A name of at most maxLabelNameLength characters: a longer one keeps its
 * beginning and ends in a short hash of the whole, so two long paths that
 * start alike still get different labels, and the same path always the same.
 */
export function withinLengthLimit(name: string): string {
  if (length(name) <= maxLabelNameLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const suffix = ` ~${hash}`;
  const kept = [...name]
    .slice(0, maxLabelNameLength - suffix.length)
    .join('')
    .replace(/[\s/]+$/, '');
  return `${kept}${suffix}`;
}

/**
 * The names tried, in order, when Gmail refuses `segment` (the last part of
 * a label name): "Muted" → "Muted (Outlook)", "Muted (Outlook 2)", ... The
 * order never changes, so every attempt and every worker picks the same one.
 */
export function alternativeSegments(segment: string): string[] {
  const base = segment.replace(/ \(Outlook(?: \d+)?\)$/, '');
  const names: string[] = [];
  for (let n = 1; names.length < labelNameAlternatives; n++) {
    const candidate = n === 1 ? `${base} (Outlook)` : `${base} (Outlook ${n})`;
    if (candidate !== segment) names.push(candidate);
  }
  return names;
}
