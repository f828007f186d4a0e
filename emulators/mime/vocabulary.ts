/**
 * Word lists for believable seeded mail. Plain data: the seeded generator
 * picks from these so that subjects, names and bodies read like office mail.
 */
export const givenNames = [
  'Adele',
  'Alex',
  'Amara',
  'Bianca',
  'Bruno',
  'Camille',
  'Chen',
  'Dmitri',
  'Elena',
  'Farah',
  'Gustav',
  'Hana',
  'Ibrahim',
  'Isla',
  'Jonas',
  'Keiko',
  'Liam',
  'Lucia',
  'Malik',
  'Marta',
  'Nadia',
  'Noah',
  'Olga',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Samir',
  'Sofia',
  'Tariq',
  'Ulla',
  'Valentin',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
] as const;

export const surnames = [
  'Andersen',
  'Baptiste',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Laurent',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Urban',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zimmermann',
] as const;

/** External correspondents' domains (reserved .example names, never real mail hosts). */
export const externalDomains = ['northwind.example', 'fabrikam.example', 'tailspin.example', 'wingtip.example', 'litware.example', 'adventure-works.example'] as const;

export const subjectTopics = [
  'Quarterly budget review',
  'Onboarding checklist',
  'Vendor contract renewal',
  'Team offsite planning',
  'Release notes draft',
  'Customer escalation',
  'Invoice',
  'Travel itinerary',
  'Security training reminder',
  'Hiring panel feedback',
  'Project status update',
  'Board meeting minutes',
  'Office move logistics',
  'Expense report',
  'Product roadmap',
  'Support ticket follow-up',
  'Marketing campaign results',
  'Holiday schedule',
  'Design review',
  'Migration cut-over plan',
] as const;

export const subjectQualifiers = ['', '', '', ' - action needed', ' (v2)', ' for next week', ' - final', ' - comments welcome', ' Q3', ' Q4'] as const;

export const openingLines = ['Hi {name},', 'Hello {name},', 'Dear {name},', 'Morning {name},', '{name},', 'Hi all,'] as const;

export const bodySentences = [
  'Please find the latest figures below; the totals changed slightly after the last review.',
  'Could you take a look before Thursday so we can close this out?',
  'I have attached the document we discussed on the call.',
  'The vendor confirmed the new delivery date and the revised pricing.',
  'Let me know if anything in the plan looks off to you.',
  'We agreed to move the deadline by one week to give the team room for testing.',
  'The meeting room is booked; dial-in details are in the calendar invitation.',
  'Thanks again for the quick turnaround on this.',
  'Finance asked for the cost centre code on every line item.',
  'The customer is happy with the fix but wants a written summary.',
  'I will circulate the minutes once everyone has had a chance to comment.',
  'Two items are still open: the data retention question and the support hours.',
  'Our target is to finish the cut-over before the end of the month.',
  'Please keep this thread for reference; it has the full history of the decision.',
  'The draft is rough in places, so comments on structure are more useful than typos.',
] as const;

export const closingLines = ['Thanks,', 'Best regards,', 'Cheers,', 'Kind regards,', 'Many thanks,'] as const;

export const attachmentKinds = [
  { base: 'report', extension: 'pdf', contentType: 'application/pdf' },
  { base: 'budget', extension: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { base: 'proposal', extension: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { base: 'photo', extension: 'jpg', contentType: 'image/jpeg' },
  { base: 'slides', extension: 'pptx', contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  { base: 'archive', extension: 'zip', contentType: 'application/zip' },
  { base: 'notes', extension: 'txt', contentType: 'text/plain' },
] as const;

/** Outlook shows a short notice like this in place of the body of an IRM-protected message. */
export const protectedMessageNotice = 'This message is protected with Microsoft Information Protection. Open it in Outlook to read its contents.';
