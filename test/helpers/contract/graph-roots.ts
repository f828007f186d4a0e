/**
 * The Graph resources whose JSON the emulator sends, as @microsoft/microsoft-graph-types
 * declares them. graph-schema-source.ts turns this interface (and everything it reaches)
 * into JSON Schema at test time; nothing here is written by hand but the list.
 */
import type { Calendar, Contact, ContactFolder, Event, DirectoryObject, Group, MailFolder, Message, ProfilePhoto, User } from '@microsoft/microsoft-graph-types';

export interface GraphContractRoots {
  message: Message;
  mailFolder: MailFolder;
  user: User;
  group: Group;
  directoryObject: DirectoryObject;
  contact: Contact;
  contactFolder: ContactFolder;
  profilePhoto: ProfilePhoto;
  event: Event;
  calendar: Calendar;
}
