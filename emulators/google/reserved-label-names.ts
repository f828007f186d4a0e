/**
 * The user-label names Gmail's labels.create (and update) refuse with 400
 * "Invalid label name". Google documents no list; these are the names people
 * report Gmail refusing through the API, so the emulator refuses all of them
 * (where reports are silent, the stricter answer is modelled). Compared in any
 * case, after Unicode NFC normalisation.
 */

/** Gmail's system label ids; their names cannot be taken by a user label. */
const systemLabelNames = ['chat', 'sent', 'inbox', 'important', 'trash', 'draft', 'spam', 'starred', 'unread'];

/**
 * English names reported refused:
 *  - got-your-back gyb.py `reserved_labels` (inbox, spam, trash, unread, starred, important, sent, draft,
 *    chat, chats, migrated, todo, todos, buzz, bin, allmail, drafts, archive, archived, muted), with the
 *    reports behind it: "Archive" (GAM-team/got-your-back#324), "Muted" (#300, #323, #350), "Migrated" (#82),
 *    "BIN" (#140), "DRAFTS" (#109, PR #95);
 *  - gauteh/lieer: "archive" (lieer#109), "arxiv" (lieer#52, #171), "Trash" (lieer#52), and the names its
 *    local.py ignores as reserved (mute, muted, todo, voicemail);
 *  - the folder names Gmail's own UI shows for system labels (All Mail, Sent Mail, Snoozed, Scheduled, Outbox).
 */
const englishNames = [
  'chats',
  'drafts',
  'bin',
  'allmail',
  'all mail',
  'sent mail',
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
  'snoozed',
  'scheduled',
  'outbox',
];

/**
 * Localised system names. Refusals reported through the API: "Nepřečtené" (Czech for Unread,
 * got-your-back#227), "Messages envoyés" (French Sent, #228), "No leídos" (Spanish Unread, #360),
 * "Gearchiveerd" (Dutch Archived, #429), "Da leggere" (Italian Unread) and "Enviado" (Sent, #442).
 * The rest are Gmail's names for its system labels in the same and neighbouring languages, as
 * got-your-back's labellang.py lists them for mapping restored labels back to system labels: a
 * mailbox exported in those languages carries them, and the reports above show Gmail refusing such
 * names as user labels.
 */
const localisedNames = [
  // reported refused
  'nepřečtené',
  'messages envoyés',
  'no leídos',
  'gearchiveerd',
  'da leggere',
  'enviado',
  // de
  'posteingang',
  'entwürfe',
  'gesendet',
  'markiert',
  'papierkorb',
  'wichtig',
  // fr
  'boîte de réception',
  'brouillons',
  'corbeille',
  'suivis',
  'importants',
  // es
  'recibidos',
  'borradores',
  'destacados',
  'enviados',
  'importantes',
  'papelera',
  // it
  'posta in arrivo',
  'bozze',
  'cestino',
  'importanti',
  'posta inviata',
  'speciali',
  // nl
  'belangrijk',
  'concepten',
  'met ster',
  'prullenbak',
  'verzonden berichten',
  // pt
  'caixa de entrada',
  'com estrela',
  'e-mails enviados',
  'importante',
  'lixeira',
  'rascunhos',
  'caixote do lixo',
  'correio enviado',
  // cs
  'doručená pošta',
  'důležité',
  'koncepty',
  'koš',
  'odeslaná pošta',
  's hvězdičkou',
  // pl
  'odebrane',
  'kosz',
  'oznaczone gwiazdką',
  'ważne',
  'wersje robocze',
  'wysłane',
  // sv, da, no
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

const reserved: ReadonlySet<string> = new Set([...systemLabelNames, ...englishNames, ...localisedNames].map(normalise));

function normalise(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * Whether Gmail refuses `name` (already trimmed). A nested name is refused when its top-level
 * part is reserved: got-your-back checks the first part of a nested label for exactly this
 * (gyb.py renames "Archive/2023" as a whole, not only "Archive").
 */
export function isReservedLabelName(name: string): boolean {
  const top = name.split('/')[0]!.trim();
  return reserved.has(normalise(top)) || /^category_/i.test(top);
}
