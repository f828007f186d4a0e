import { createRandom, mixSeed } from '../../mime/random.js';

/**
 * Exchange item ids are opaque base64 strings. Ours pack the numbers the
 * emulator needs (mailbox, item number, version) behind an Outlook-looking
 * prefix, with a checksum so that a mangled id is told apart from an id of an
 * item that no longer exists (400 ErrorInvalidIdMalformed versus 404).
 *
 * The ordinary message id includes the move count, so it changes when the
 * message moves between folders, as Exchange ids do; the immutable id does not.
 */
type IdKind = 'message' | 'immutableMessage' | 'folder' | 'conversation' | 'contact' | 'immutableContact' | 'contactFolder';

const prefixes: Record<IdKind, string> = {
  message: 'AAMkA',
  immutableMessage: 'AAkALg',
  folder: 'AQMkA',
  conversation: 'AAQkA',
  // Contacts and their folders get prefixes no other kind starts with, so an id of one kind never decodes as another.
  contact: 'AAMhAG',
  immutableContact: 'AAkAGQ',
  contactFolder: 'AQMhAG',
};
const suffix = 'AAA=';
const payloadBytes = 12;

export interface DecodedItemId {
  mailbox: number;
  item: number;
  version: number;
}

function encode(kind: IdKind, mailbox: number, item: number, version: number): string {
  const payload = Buffer.alloc(payloadBytes);
  payload.writeUInt32BE(mailbox, 0);
  payload.writeUInt32BE(item, 4);
  payload.writeUInt16BE(version & 0xffff, 8);
  payload.writeUInt16BE(mixSeed(prefixes[kind].length, mailbox, item, version & 0xffff) & 0xffff, 10);
  return `${prefixes[kind]}${payload.toString('base64url')}${suffix}`;
}

function decode(kind: IdKind, id: string): DecodedItemId | null {
  const prefix = prefixes[kind];
  if (!id.startsWith(prefix) || !id.endsWith(suffix)) return null;
  const payload = Buffer.from(id.slice(prefix.length, id.length - suffix.length), 'base64url');
  if (payload.length !== payloadBytes) return null;
  const mailbox = payload.readUInt32BE(0);
  const item = payload.readUInt32BE(4);
  const version = payload.readUInt16BE(8);
  if (payload.readUInt16BE(10) !== (mixSeed(prefix.length, mailbox, item, version) & 0xffff)) return null;
  return { mailbox, item, version };
}

export const messageId = (mailbox: number, item: number, moveCount: number): string => encode('message', mailbox, item, moveCount);
export const immutableMessageId = (mailbox: number, item: number): string => encode('immutableMessage', mailbox, item, 0);
export const folderId = (mailbox: number, folder: number): string => encode('folder', mailbox, folder, 0);
export const conversationId = (mailbox: number, rootItem: number): string => encode('conversation', mailbox, rootItem, 0);

/** Either form of message id; `immutable` says which one it was. */
export function decodeMessageId(id: string): (DecodedItemId & { immutable: boolean }) | null {
  const ordinary = decode('message', id);
  if (ordinary) return { ...ordinary, immutable: false };
  const immutable = decode('immutableMessage', id);
  return immutable ? { ...immutable, immutable: true } : null;
}

export const decodeFolderId = (id: string): DecodedItemId | null => decode('folder', id);

/**
 * Contacts, like messages, have an ordinary id that changes when the contact
 * moves to another folder and an immutable one that does not
 * (learn.microsoft.com/graph/outlook-immutable-id lists contact among the
 * resources immutable ids cover).
 */
export const contactId = (mailbox: number, item: number, moveCount: number): string => encode('contact', mailbox, item, moveCount);
export const immutableContactId = (mailbox: number, item: number): string => encode('immutableContact', mailbox, item, 0);
export const contactFolderId = (mailbox: number, folder: number): string => encode('contactFolder', mailbox, folder, 0);
export const decodeContactFolderId = (id: string): DecodedItemId | null => decode('contactFolder', id);

export function decodeContactId(id: string): (DecodedItemId & { immutable: boolean }) | null {
  const ordinary = decode('contact', id);
  if (ordinary) return { ...ordinary, immutable: false };
  const immutable = decode('immutableContact', id);
  return immutable ? { ...immutable, immutable: true } : null;
}

/** A version-4-shaped GUID from a seed, so seeded tenants get the same object ids every run. */
export function seededGuid(...seedParts: number[]): string {
  const bytes = createRandom(mixSeed(...seedParts)).bytes(16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
