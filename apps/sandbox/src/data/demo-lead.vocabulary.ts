/**
 * Word lists and logit effects for generated leads. Effects are log-odds added to the conversion
 * model; they are the "truth" a lead-scoring model should rediscover, so keep them plausible for
 * B2B sales (referrals and decision makers convert, purchased lists and students rarely do).
 */
import { WeightedChoice } from './demo-random';

// prettier-ignore
export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe', 'Daniel', 'Diego', 'Elena', 'Emma', 'Farah', 'Felix',
  'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Jack', 'Jana', 'Jonas', 'Julia', 'Kai', 'Kenji', 'Lara', 'Leo', 'Lina', 'Lucas',
  'Maya', 'Mei', 'Mia', 'Nadia', 'Noah', 'Nora', 'Olga', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tariq',
  'Theo', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe', 'Aisha', 'Marta', 'Pedro', 'Ravi', 'Sven', 'Tomas', 'Ingrid', 'Kofi',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Adams', 'Ahmed', 'Andersen', 'Baker', 'Banerjee', 'Becker', 'Brown', 'Carvalho', 'Chen', 'Costa', 'Dubois', 'Evans', 'Fischer',
  'Garcia', 'Gonzalez', 'Hansen', 'Hoffmann', 'Ito', 'Jansen', 'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lopez',
  'Martin', 'Meyer', 'Moreau', 'Mueller', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Petrov', 'Rossi', 'Santos',
  'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Walker', 'Wang', 'Weber', 'Williams', 'Wilson',
  'Yamamoto', 'Young', 'Zhang', 'Ferreira', 'Lindqvist', 'Mensah', 'Haddad', 'Ortiz',
] as const;

// prettier-ignore
export const COMPANY_FIRST = [
  'Acme', 'Apex', 'Blue', 'Bright', 'Cedar', 'Clear', 'Copper', 'Crest', 'Delta', 'Ever', 'Falcon', 'First', 'Golden', 'Granite',
  'Harbor', 'Iron', 'Juniper', 'Keystone', 'Lumen', 'Maple', 'Meridian', 'North', 'Nova', 'Oak', 'Orbit', 'Pacific', 'Pine',
  'Pioneer', 'Prime', 'Quantum', 'Red', 'River', 'Silver', 'Summit', 'Terra', 'True', 'Union', 'Vertex', 'West', 'Zenith',
] as const;

// prettier-ignore
export const COMPANY_SECOND = [
  'Analytics', 'Bridge', 'Cloud', 'Data', 'Dynamics', 'Edge', 'Field', 'Forge', 'Grid', 'Labs', 'Line', 'Logic', 'Point', 'Path',
  'Peak', 'Scale', 'Signal', 'Source', 'Stack', 'Stone', 'Systems', 'Works', 'Wave', 'Ware',
] as const;

/** Lower-case copies for emails and domains, so no record pays for toLowerCase. */
export const FIRST_NAMES_LOWER: readonly string[] = FIRST_NAMES.map((n) => n.toLowerCase());
export const LAST_NAMES_LOWER: readonly string[] = LAST_NAMES.map((n) => n.toLowerCase());
export const COMPANY_FIRST_LOWER: readonly string[] = COMPANY_FIRST.map((n) => n.toLowerCase());
export const COMPANY_SECOND_LOWER: readonly string[] = COMPANY_SECOND.map((n) => n.toLowerCase());

export const COMPANY_SUFFIX = ['Inc.', 'LLC', 'Ltd', 'GmbH', 'Corp.', 'Group', 'Co.', 'S.A.', 'BV', 'AG'] as const;

/** Title and its seniority effect on conversion. */
export const TITLES = new WeightedChoice<readonly [string, number]>([
  [['CEO', 0.9], 2],
  [['CTO', 0.9], 2],
  [['CFO', 0.7], 1.5],
  [['COO', 0.8], 1.5],
  [['CMO', 0.8], 1.5],
  [['VP of Sales', 0.8], 3],
  [['VP of Engineering', 0.7], 3],
  [['VP of Operations', 0.7], 2],
  [['Director of IT', 0.6], 4],
  [['Director of Marketing', 0.5], 4],
  [['Head of Customer Success', 0.6], 3],
  [['IT Manager', 0.3], 7],
  [['Marketing Manager', 0.2], 7],
  [['Operations Manager', 0.3], 6],
  [['Sales Manager', 0.3], 6],
  [['Software Engineer', -0.1], 8],
  [['Business Analyst', 0], 7],
  [['Marketing Specialist', -0.2], 6],
  [['Sales Representative', -0.2], 6],
  [['Office Coordinator', -0.5], 4],
  [['Consultant', -0.1], 4],
  [['Student', -1.4], 3],
  [['Intern', -1.2], 2],
]);

export const SOURCES = new WeightedChoice<readonly [string, number]>([
  [['Web', 0], 24],
  [['Referral', 1.3], 8],
  [['Partner', 0.9], 7],
  [['Webinar', 0.5], 9],
  [['Trade Show', 0.3], 8],
  [['Email Campaign', -0.3], 12],
  [['Advertisement', -0.5], 11],
  [['Social Media', -0.7], 9],
  [['Cold Call', -1.0], 7],
  [['Purchased List', -1.4], 5],
]);

/** Industry, its conversion effect, and revenue per employee (USD) to derive a plausible annual revenue. */
export const INDUSTRIES = new WeightedChoice<readonly [string, number, number]>([
  [['Technology', 0.5, 260_000], 16],
  [['Financial Services', 0.4, 380_000], 10],
  [['Healthcare', 0.1, 160_000], 9],
  [['Manufacturing', 0, 220_000], 10],
  [['Retail', -0.3, 140_000], 9],
  [['Education', -0.6, 90_000], 6],
  [['Government', -0.5, 120_000], 4],
  [['Non-Profit', -0.8, 70_000], 4],
  [['Telecommunications', 0.3, 420_000], 5],
  [['Energy', 0.1, 600_000], 4],
  [['Media', -0.2, 200_000], 5],
  [['Logistics', 0.1, 180_000], 6],
  [['Hospitality', -0.4, 60_000], 5],
  [['Professional Services', 0.2, 150_000], 7],
]);

export const COUNTRIES = new WeightedChoice<string>([
  ['United States', 34],
  ['United Kingdom', 10],
  ['Germany', 9],
  ['France', 6],
  ['Canada', 6],
  ['Netherlands', 4],
  ['Australia', 4],
  ['India', 6],
  ['Brazil', 4],
  ['Japan', 4],
  ['Spain', 3],
  ['Sweden', 2],
  ['Singapore', 2],
  ['Mexico', 3],
  ['South Africa', 3],
]);

/** Company size bands (min, max employees) and their effect: mid-market buys most, tiny firms rarely. */
export const SIZE_BANDS = new WeightedChoice<readonly [number, number, number]>([
  [[1, 10, -0.7], 18],
  [[11, 50, -0.2], 24],
  [[51, 200, 0.3], 22],
  [[201, 1000, 0.5], 17],
  [[1001, 5000, 0.3], 11],
  [[5001, 100_000, 0], 8],
]);

/**
 * Intercept of the conversion logit, chosen so the overall conversion rate lands near 20 %
 * (checked by the generator spec, which keeps it within 10–35 %).
 */
export const CONVERSION_INTERCEPT = -2.55;
