import type { Event } from '@microsoft/microsoft-graph-types';

/**
 * Google's description limit: about 8K characters (ical2org#16, citing a
 * "documented limit"), unconfirmed by Google's own reference. Longer bodies
 * are cut to this length, ending with TRUNCATION_NOTE so the reader knows.
 */
export const DESCRIPTION_LIMIT = 8_000;
export const TRUNCATION_NOTE = '[Cut here: the Outlook description was longer than Google Calendar keeps. The full text is in Outlook.]';

/** The online meeting's join link: onlineMeeting.joinUrl (Teams), else the legacy onlineMeetingUrl (Skype) (event.md). */
export function joinUrlOf(event: Event): string | undefined {
  return event.onlineMeeting?.joinUrl ?? event.onlineMeetingUrl ?? undefined;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What Google can show of an HTML body: the inside of <body> (the <head>'s styles and meta tags only use up the limit). */
function bodyInside(html: string): string {
  const inside = /<body[^>]*>([\s\S]*?)(<\/body>|$)/i.exec(html);
  return (inside ? inside[1]! : html).trim();
}

/** Cuts text to the limit, without leaving half a tag or entity behind, and ends it with the note. */
function truncated(text: string, html: boolean): string {
  const note = html ? `<p>${TRUNCATION_NOTE}</p>` : `\n\n${TRUNCATION_NOTE}`;
  let cut = text.slice(0, DESCRIPTION_LIMIT - note.length);
  if (html) cut = cut.replace(/<[^>]*$/, '').replace(/&[#a-z0-9]*$/i, '');
  return cut + note;
}

export interface Description {
  description: string | undefined;
  lost: string[];
}

/**
 * The description: the join link on top (a Teams link has no native slot in
 * Google without a registered conferencing add-on, Event schema
 * conferenceSolution; putting it first keeps it visible whatever the body's
 * length), then the body, HTML kept (Google's description takes HTML).
 */
export function descriptionOf(event: Event): Description {
  const html = event.body?.contentType === 'html';
  const content = event.body?.content ? (html ? bodyInside(event.body.content) : event.body.content.trim()) : '';
  const joinUrl = joinUrlOf(event);
  const link = joinUrl ? (html ? `<p>Join the online meeting: <a href="${escapeHtml(joinUrl)}">${escapeHtml(joinUrl)}</a></p>` : `Join the online meeting: ${joinUrl}`) : '';
  const whole = [link, content].filter(Boolean).join(html ? '' : '\n\n');
  if (whole === '') return { description: undefined, lost: [] };
  if (whole.length <= DESCRIPTION_LIMIT) return { description: whole, lost: [] };
  return { description: truncated(whole, html), lost: [`description past ${DESCRIPTION_LIMIT.toLocaleString('en-US')} characters`] };
}
