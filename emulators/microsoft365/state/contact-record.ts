import type { Contact } from '@microsoft/microsoft-graph-types';

/**
 * The properties of Graph's contact resource a contact carries as data
 * (learn.microsoft.com/graph/api/resources/contact; shape from
 * @microsoft/microsoft-graph-types `Contact`). id, parentFolderId,
 * changeKey and the timestamps are the emulator's to set; photo is a
 * navigation property served on its own route.
 */
export type ContactFields = Omit<
  Contact,
  'id' | 'parentFolderId' | 'changeKey' | 'createdDateTime' | 'lastModifiedDateTime' | 'photo' | 'extensions' | 'multiValueExtendedProperties' | 'singleValueExtendedProperties'
>;

/** Every data property, in the order the emulator serialises them. */
export const contactFieldNames = [
  'assistantName',
  'birthday',
  'businessAddress',
  'businessHomePage',
  'businessPhones',
  'categories',
  'children',
  'companyName',
  'department',
  'displayName',
  'emailAddresses',
  'fileAs',
  'generation',
  'givenName',
  'homeAddress',
  'homePhones',
  'imAddresses',
  'initials',
  'jobTitle',
  'manager',
  'middleName',
  'mobilePhone',
  'nickName',
  'officeLocation',
  'otherAddress',
  'personalNotes',
  'profession',
  'spouseName',
  'surname',
  'title',
  'yomiCompanyName',
  'yomiGivenName',
  'yomiSurname',
] as const satisfies readonly (keyof ContactFields)[];

/** A contact picture: the bytes, their type and the dimensions profilePhoto reports. */
export interface ContactPhoto {
  contentType: string;
  bytes: Buffer;
  width: number;
  height: number;
}

/** One contact as the emulator keeps it. Times are whole epoch seconds. */
export interface ContactRecord {
  readonly number: number;
  folder: number;
  /** Bumped on every move; part of the ordinary (non-immutable) id, as for messages. */
  moveCount: number;
  fields: ContactFields;
  readonly createdAt: number;
  lastModifiedAt: number;
  /** Bumped on every update; the changeKey is derived from it. */
  changeCount: number;
  photo?: ContactPhoto;
}
