import { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import { createGoogleTransport, delegatedCredentials, type ServiceAccountKeyJson } from '../../../connectors/google/google-clients.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';

export const contactsScope = 'https://www.googleapis.com/auth/contacts';
export const contactsReadonlyScope = 'https://www.googleapis.com/auth/contacts.readonly';

/**
 * A People API client for `email`, authorised as the product will be: a
 * domain-wide-delegated service-account token, people.googleapis.com reached
 * at the emulator's URL through rootUrl.
 */
export function peopleFor(google: StartedGoogleEmulator, email: string, scopes: readonly string[] = [contactsScope], key?: ServiceAccountKeyJson): people_v1.People {
  const transporter = createGoogleTransport(google.url);
  const auth = delegatedCredentials(key ?? google.googleSettings.serviceAccountKey, email, scopes, transporter);
  return new people_v1.People({ auth, rootUrl: `${google.url}/` });
}

/** The emulator the People tests share: its admin and Ann (whose contacts they write), quotas off. */
export function startPeopleEmulator(): Promise<StartedGoogleEmulator> {
  return startGoogleEmulator({
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
    ],
    quota: { enabled: false },
  });
}

/** Every person field the emulator keeps, with values of each kind, for round-trip checks. */
export const fullPerson: people_v1.Schema$Person = {
  names: [{ givenName: 'Dana', familyName: 'Reyes', middleName: 'M', honorificPrefix: 'Dr.', honorificSuffix: 'PhD', phoneticGivenName: 'Dah-na', phoneticFamilyName: 'Ray-es' }],
  nicknames: [{ value: 'Dee' }],
  fileAses: [{ value: 'Reyes, Dana' }],
  emailAddresses: [
    { value: 'dana@contoso.example', type: 'work', displayName: 'Dana at work' },
    { value: 'dana.home@example.org', type: 'home' },
  ],
  phoneNumbers: [
    { value: '+1 425 555 0100', type: 'work' },
    { value: '555-0101', type: 'home' },
    { value: '+14255550102', type: 'mobile' },
    { value: '+14255550103', type: 'workFax' },
    { value: '+14255550104', type: 'homeFax' },
    { value: '+14255550105', type: 'pager' },
    { value: '+14255550106', type: 'main' },
    { value: '+14255550107', type: 'other' },
  ],
  addresses: [
    { type: 'work', streetAddress: '1 Microsoft Way', city: 'Redmond', region: 'WA', postalCode: '98052', country: 'United States', extendedAddress: 'Building 4', poBox: 'PO 12' },
    { type: 'home', streetAddress: '5 Elm St', city: 'Seattle', formattedValue: '5 Elm St\nSeattle' },
  ],
  organizations: [{ name: 'Contoso', department: 'Finance', title: 'Controller', location: 'Building 4', phoneticName: 'Kon-toh-so' }],
  birthdays: [{ date: { month: 4, day: 12 } }],
  events: [{ date: { year: 2015, month: 6, day: 20 }, type: 'anniversary' }],
  biographies: [{ value: 'Met at the 2019 offsite.', contentType: 'TEXT_PLAIN' }],
  urls: [{ value: 'https://contoso.example/dana', type: 'work' }],
  imClients: [{ username: 'dana@im.example', protocol: 'skype', type: 'work' }],
  relations: [
    { person: 'Sam Reyes', type: 'spouse' },
    { person: 'Lee Park', type: 'manager' },
  ],
  userDefined: [{ key: 'Cost centre', value: '4711' }],
  clientData: [
    { key: 'm365Id', value: 'AAMkAGI2-contact-1' },
    { key: 'm365Id', value: 'AAMkAGI2-contact-1' },
  ],
  externalIds: [{ value: 'EMP-42', type: 'account' }],
};

export const allPersonFields =
  'names,nicknames,fileAses,emailAddresses,phoneNumbers,addresses,organizations,birthdays,events,biographies,urls,imClients,relations,userDefined,clientData,externalIds,memberships,photos,metadata';

/** The smallest valid PNG (1×1), base64. */
export const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
