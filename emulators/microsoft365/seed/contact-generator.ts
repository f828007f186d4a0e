import { createRandom, mixSeed, type SeededRandom } from '../../mime/random.js';
import { externalDomains, givenNames, surnames } from '../../mime/vocabulary.js';
import type { ContactFields, ContactPhoto } from '../state/contact-record.js';
import { solidPng } from './contact-photo.js';

const companies = ['Northwind Traders', 'Fabrikam', 'Tailspin Toys', 'Wingtip Toys', 'Litware', 'Adventure Works'];
const departments = ['Sales', 'Finance', 'Engineering', 'Procurement', 'Legal'];
const jobTitles = ['Buyer', 'Account Director', 'Controller', 'Architect', 'Counsel', 'Office Manager'];
const cities = [
  { city: 'Lyon', state: 'Auvergne-Rhône-Alpes', countryOrRegion: 'France', postalCode: '69002' },
  { city: 'Bergen', state: 'Vestland', countryOrRegion: 'Norway', postalCode: '5003' },
  { city: 'Porto', state: 'Porto', countryOrRegion: 'Portugal', postalCode: '4050-001' },
  { city: 'Seattle', state: 'WA', countryOrRegion: 'United States', postalCode: '98101' },
];
const streets = ['12 Rue de la République', '4 Bryggen', '88 Rua das Flores', '1200 Pine Street'];

/**
 * Outlook stores a birthday as a full DateTimeOffset (contact resource:
 * "birthday: DateTimeOffset"), so "no year" needs a stand-in year. 1604 is
 * the one Apple's address book uses and CardDAV servers pass on
 * (nextcloud/server#3084, quoting SabreDAV: "We're choosing 1604 for the
 * birthyear, because that's what apple uses"; rsjtdrjgfuzkfg/thunderbird-birthdaycalendar#17).
 * What Outlook itself stores for a birthday without a year is not documented.
 */
export const noYearBirthdayYear = 1604;

const phone = (random: SeededRandom): string => `+${random.pick(['33', '47', '351', '1'])} ${random.int(100, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`;

/** How much a generated contact carries, in turn, so every few contacts show every shape. */
type Shape = 'full' | 'minimal' | 'noYearBirthday' | 'company';
const shapes: readonly Shape[] = ['full', 'minimal', 'noYearBirthday', 'company'];

/**
 * A varied, deterministic contact: the same (seed, index) gives the same
 * fields. "full" ones have three e-mail addresses (Outlook's three slots)
 * and many phone numbers; every third one has a photo.
 */
export function generateContact(seed: number, index: number): { fields: ContactFields; photo?: ContactPhoto } {
  const random = createRandom(mixSeed(seed, 0xc0ac7, index));
  const givenName = random.pick(givenNames);
  const surname = random.pick(surnames);
  const domain = random.pick(externalDomains);
  const local = `${givenName}.${surname}`.toLowerCase();
  const shape = shapes[index % shapes.length] as Shape;
  const place = random.pick(cities);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const base: ContactFields = {
    givenName,
    surname,
    displayName: `${givenName} ${surname}`,
    fileAs: `${surname}, ${givenName}`,
    emailAddresses: [{ name: `${givenName} ${surname}`, address: `${local}@${domain}` }],
  };
  let fields: ContactFields;
  switch (shape) {
    case 'minimal':
      fields = { givenName, displayName: givenName, emailAddresses: [{ name: givenName, address: `${local}@${domain}` }] };
      break;
    case 'noYearBirthday':
      fields = { ...base, birthday: `${noYearBirthdayYear}-${pad(month)}-${pad(day)}T00:00:00Z`, mobilePhone: phone(random), personalNotes: 'Birthday known without the year.' };
      break;
    case 'company':
      fields = { ...base, companyName: random.pick(companies), department: random.pick(departments), jobTitle: random.pick(jobTitles), businessPhones: [phone(random)], categories: ['Clients'] };
      break;
    case 'full':
      fields = {
        ...base,
        middleName: random.pick(givenNames),
        nickName: givenName.slice(0, 3),
        title: random.pick(['Dr.', 'Ms.', 'Mr.', 'Prof.']),
        generation: random.pick(['Jr.', 'III', 'Sr.']),
        initials: `${givenName[0] ?? ''}.${surname[0] ?? ''}.`,
        yomiGivenName: givenName,
        yomiSurname: surname,
        yomiCompanyName: 'ノースウィンド',
        emailAddresses: [
          { name: `${givenName} ${surname}`, address: `${local}@${domain}` },
          { name: `${givenName} (home)`, address: `${local}@home.example` },
          { name: `${givenName} (other)`, address: `${givenName.toLowerCase()}${index}@mail.example` },
        ],
        businessPhones: [phone(random), phone(random)],
        homePhones: [phone(random), phone(random)],
        mobilePhone: phone(random),
        imAddresses: [`sip:${local}@${domain}`],
        homeAddress: { street: random.pick(streets), ...place },
        businessAddress: { street: random.pick(streets), ...random.pick(cities) },
        otherAddress: { street: random.pick(streets), ...random.pick(cities) },
        companyName: random.pick(companies),
        department: random.pick(departments),
        jobTitle: random.pick(jobTitles),
        officeLocation: `Building ${random.int(1, 9)}`,
        profession: random.pick(['Engineer', 'Lawyer', 'Accountant']),
        manager: `${random.pick(givenNames)} ${random.pick(surnames)}`,
        assistantName: `${random.pick(givenNames)} ${random.pick(surnames)}`,
        businessHomePage: `https://www.${domain}/`,
        birthday: `${random.int(1950, 2000)}-${pad(month)}-${pad(day)}T00:00:00Z`,
        spouseName: `${random.pick(givenNames)} ${surname}`,
        children: [random.pick(givenNames), random.pick(givenNames)],
        personalNotes: `Met at the ${place.city} conference.\nPrefers e-mail.`,
        categories: ['Friends', 'Important'],
      };
      break;
  }
  const photo = index % 3 === 0 ? solidPng(8 + (index % 5), 8 + (index % 5), [random.int(0, 255), random.int(0, 255), random.int(0, 255)]) : undefined;
  return { fields, ...(photo ? { photo } : {}) };
}
