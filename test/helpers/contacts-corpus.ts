/**
 * Outlook contacts in Graph's own JSON shape (api-reference/v1.0/resources/contact.md),
 * covering every field the copy maps, with the folder each goes in. The
 * Google side each must become is written out by hand in the tests, not
 * derived from the product's mapping.
 */
export const fullContact = {
  givenName: 'Adele',
  surname: 'Vance',
  middleName: 'Marie',
  nickName: 'Del',
  title: 'Dr.',
  generation: 'Jr.',
  fileAs: 'Vance, Adele',
  displayName: 'Dr. Adele M. Vance Jr.',
  yomiGivenName: 'アデル',
  yomiSurname: 'ヴァンス',
  yomiCompanyName: 'コントソ',
  emailAddresses: [
    { name: 'Adele at work', address: 'adele@contoso.example' },
    { name: 'Adele at home', address: 'adele@home.example' },
    { name: 'Adele elsewhere', address: 'adele@third.example' },
  ],
  businessPhones: ['+1 425 555 0101', '+1 425 555 0102'],
  homePhones: ['+1 425 555 0199'],
  mobilePhone: '+1 425 555 0150',
  imAddresses: ['sip:adele@contoso.example'],
  homeAddress: { street: '1 Main Street', city: 'Redmond', state: 'WA', postalCode: '98052', countryOrRegion: 'United States' },
  businessAddress: { street: '4 Microsoft Way', city: 'Redmond', state: 'WA', postalCode: '98052', countryOrRegion: 'United States' },
  otherAddress: { street: '9 Rue de Rivoli', city: 'Paris', postalCode: '75001', countryOrRegion: 'France' },
  companyName: 'Contoso',
  department: 'Sales',
  jobTitle: 'Account manager',
  officeLocation: 'Building 4',
  profession: 'Sales',
  manager: 'Megan Bowen',
  assistantName: 'Lee Gu',
  businessHomePage: 'https://contoso.example/adele',
  birthday: '1985-04-12T11:59:00Z',
  spouseName: 'Alex Vance',
  children: ['Sam', 'Kim'],
  personalNotes: 'Met at the partner summit.',
  categories: ['Customers'],
};

/** Outlook writes a birthday without a year in 1604. */
export const birthdayWithoutYear = {
  givenName: 'Bianca',
  surname: 'Pisani',
  displayName: 'Bianca Pisani',
  birthday: '1604-07-04T11:59:00Z',
  emailAddresses: [{ name: 'Bianca', address: 'bianca@fabrikam.example' }],
};

export const minimalContact = { displayName: 'Reception', emailAddresses: [{ name: 'Reception', address: 'reception@northwind.example' }] };

export const clientContact = { givenName: 'Carl', surname: 'Ortiz', displayName: 'Carl Ortiz', companyName: 'Woodgrove', mobilePhone: '+44 20 7946 0000' };

export const keyAccountContact = { givenName: 'Dana', surname: 'Kim', displayName: 'Dana Kim', jobTitle: 'CFO', companyName: 'Litware' };

/** A 1x1 PNG: a photo Google takes. */
export const pngPhoto = {
  contentType: 'image/png',
  base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
};
