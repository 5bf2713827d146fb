/** The names, places, products and event titles the demo data is generated from. */
import type { CalendarEvent, Employee, ProductUnit } from './model.js';

export const ZIP_CITIES = [
  ['1050', 'København K'],
  ['2100', 'København Ø'],
  ['2200', 'København N'],
  ['2000', 'Frederiksberg'],
  ['8000', 'Aarhus C'],
  ['5000', 'Odense C'],
  ['9000', 'Aalborg'],
  ['7100', 'Vejle'],
  ['6000', 'Kolding'],
  ['4000', 'Roskilde'],
  ['8600', 'Silkeborg'],
  ['3400', 'Hillerød'],
] as const;

export const STREETS = [
  'Vestergade',
  'Østergade',
  'Nørregade',
  'Søndergade',
  'Strandvejen',
  'Skovvej',
  'Kirkevej',
  'Møllevej',
  'Havnegade',
  'Bakkevej',
  'Engvej',
  'Algade',
];

export const COMPANY_CUSTOMERS = [
  'Nordlys Rengøring ApS',
  'Fjordblik Ejendomme A/S',
  'Bageriet Hansen I/S',
  'Københavns Tandklinik ApS',
  'Vestergaard VVS ApS',
  'Skovly Børnehave',
  'Aarhus Kontorfællesskab ApS',
  'Møller & Søn Tømrer ApS',
  'Havnens Café ApS',
  'Lindholm Advokater P/S',
  'Grøn Vask ApS',
  'Dansk Solenergi A/S',
  'Odense Boligforening',
  'Klinik Østerbro ApS',
  'Nørrebro Cykler ApS',
  'Frederiksberg Revision ApS',
  'Jensens Fisk ApS',
  'Silkeborg Fysioterapi ApS',
];

export const PERSON_CUSTOMERS = [
  'Anne Sørensen',
  'Lars Nielsen',
  'Sofie Kristensen',
  'Mikkel Poulsen',
];

export const NORDLYS_COMPANIES = [
  'Boligselskabet Vibo',
  'Hotel Kronborg ApS',
  'Roskilde Gymnasium',
  'Café Sukkertoppen ApS',
  'Tandlæge Bech ApS',
];

export const NORDLYS_PEOPLE = ['Kirsten Mortensen'];

export const TEKUP_EMPLOYEES: Array<[string, Employee['role']]> = [
  ['Jonas Mortensen', 'team_lead'],
  ['Camilla Holm', 'cleaner'],
  ['Rasmus Dahl', 'cleaner'],
  ['Ida Lund', 'sales'],
];

export const NORDLYS_EMPLOYEES: Array<[string, Employee['role']]> = [
  ['Sabine Krogh', 'team_lead'],
  ['Ahmad Rahimi', 'cleaner'],
  ['Louise Thygesen', 'cleaner'],
];

export type ProductSeed = [name: string, description: string, unit: ProductUnit, unitPrice: number];

export const TEKUP_PRODUCTS: ProductSeed[] = [
  ['Vinduespudsning', 'Window cleaning, inside and out, per hour', 'hour', 349],
  ['Erhvervsrengøring', 'Office cleaning, per hour', 'hour', 389],
  ['Flytterengøring', 'Move-out cleaning of a flat or house, per m²', 'm2', 45],
  ['Tæpperens', 'Deep carpet cleaning, per m²', 'm2', 62],
  ['Hovedrengøring', 'Spring cleaning of a home, per hour', 'hour', 429],
  ['RenOS abonnement', 'RenOS booking and route planning, per month', 'month', 1495],
  ['Billy integration', 'Setup of Billy.dk accounting integration', 'piece', 4500],
  ['MCP konsulenttime', 'Consulting on MCP servers and AI assistants, per hour', 'hour', 1150],
  ['Rengøringsmidler', 'Eco-labelled cleaning supplies kit', 'piece', 275],
  ['Gulvbehandling', 'Floor polishing and oiling, per m²', 'm2', 89],
];

export const NORDLYS_PRODUCTS: ProductSeed[] = [
  ['Trappevask', 'Stairwell cleaning, per visit', 'piece', 650],
  ['Kontorrengøring', 'Office cleaning, per hour', 'hour', 365],
  ['Vinduespudsning', 'Window cleaning, per hour', 'hour', 329],
  ['Hotelrengøring', 'Hotel room turnover, per room', 'piece', 210],
];

export const EVENT_TITLES: Record<CalendarEvent['type'], string[]> = {
  cleaning: ['Vinduespudsning', 'Erhvervsrengøring', 'Hovedrengøring', 'Flytterengøring'],
  meeting: ['Kundemøde', 'Tilbudsgennemgang', 'Teammøde'],
  inspection: ['Kvalitetstjek', 'Besigtigelse'],
};

export const NORDLYS_EVENT_TITLES: Record<CalendarEvent['type'], string[]> = {
  cleaning: ['Trappevask', 'Kontorrengøring', 'Hotelrengøring', 'Vinduespudsning'],
  meeting: ['Opstartsmøde', 'Kundebesøg'],
  inspection: ['Kvalitetskontrol'],
};
