import { mixSeed } from '../../mime/random.js';
import type { ContactBook } from '../state/contact-book.js';
import { generateContact } from './contact-generator.js';

/** Folders every seeded contact book gets; "Clients/Key accounts" nests one level down. */
const seededContactFolders = ['', '', 'Clients', 'Clients/Key accounts', 'Family'];

/**
 * Deterministic contacts for one seeded mailbox, spread over the default
 * folder and a few folders below it, created at fixed times and not logged
 * for delta (the first delta round lists them).
 */
export function seedContacts(book: ContactBook, seed: number, count: number, newestDate: number): void {
  if (count <= 0) return;
  const folders = seededContactFolders.map((path) => book.ensureFolderPath(path));
  for (let i = 0; i < count; i++) {
    const { fields, photo } = generateContact(mixSeed(seed, 6), i);
    const folder = folders[i % folders.length] ?? book.defaultFolder;
    book.addContact(folder.number, fields, { recordChange: false, createdAt: newestDate - (count - i) * 86_400, ...(photo ? { photo } : {}) });
  }
  book.forgetChangeHistory();
}
