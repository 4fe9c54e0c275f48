/**
 * Generated leads with a known conversion model: log-odds = intercept + source + seniority + company
 * size + industry + engagement (visits, opens, recency) + unobserved noise, then a Bernoulli draw.
 * Leads belong to a pool of companies so that several leads share an account, as in a real CRM.
 */
import type { DemoLead } from './demo-data.types';
import {
  COMPANY_FIRST,
  COMPANY_FIRST_LOWER,
  COMPANY_SECOND,
  COMPANY_SECOND_LOWER,
  COMPANY_SUFFIX,
  CONVERSION_INTERCEPT,
  COUNTRIES,
  FIRST_NAMES,
  FIRST_NAMES_LOWER,
  INDUSTRIES,
  LAST_NAMES,
  LAST_NAMES_LOWER,
  SIZE_BANDS,
  SOURCES,
  TITLES,
} from './demo-lead.vocabulary';
import { DemoRandom, sigmoid } from './demo-random';
import { DAY_MS, changeTime, creationTimes, isoSeconds } from './demo-timeline';

interface DemoCompany {
  name: string;
  domain: string;
  industry: string;
  industryEffect: number;
  country: string;
  employees: number;
  sizeEffect: number;
  annualRevenue: number;
}

const AREA_CODES = ['212', '303', '305', '312', '415', '512', '617', '206'];

function makeCompanies(count: number, random: DemoRandom): DemoCompany[] {
  const companies: DemoCompany[] = new Array<DemoCompany>(count);
  for (let i = 0; i < count; i++) {
    const a = random.int(COMPANY_FIRST.length);
    const b = random.int(COMPANY_SECOND.length);
    const base = `${COMPANY_FIRST[a]} ${COMPANY_SECOND[b]}`;
    // The index keeps names and domains unique once the word combinations run out.
    const serial = i < COMPANY_FIRST.length * COMPANY_SECOND.length ? '' : ` ${(i + 1).toString(36).toUpperCase()}`;
    const [industry, industryEffect, revenuePerEmployee] = INDUSTRIES.draw(random);
    const [minEmployees, maxEmployees, sizeEffect] = SIZE_BANDS.draw(random);
    // Log-uniform inside the band: small numbers are more common, as in real firmographics.
    const employees = Math.round(Math.exp(Math.log(minEmployees) + random.next() * (Math.log(maxEmployees) - Math.log(minEmployees))));
    const annualRevenue = Math.round((employees * revenuePerEmployee * (0.6 + random.next() * 0.8)) / 1000) * 1000;
    companies[i] = {
      name: `${base}${serial} ${random.pick(COMPANY_SUFFIX)}`,
      domain: `${COMPANY_FIRST_LOWER[a]}${COMPANY_SECOND_LOWER[b]}${serial ? serial.trim().toLowerCase() : ''}-${i + 1}.example`,
      industry,
      industryEffect,
      country: COUNTRIES.draw(random),
      employees,
      sizeEffect,
      annualRevenue,
    };
  }
  return companies;
}

/** Small counts with a long tail (most leads visit a few times, some dozens). */
function engagementCount(random: DemoRandom, mean: number, cap: number): number {
  return Math.min(cap, Math.floor(random.exponential(mean)));
}

export function generateDemoLeads(count: number, seed: number, referenceMs: number): DemoLead[] {
  const random = new DemoRandom(seed);
  const companies = makeCompanies(Math.max(1, Math.ceil(count / 3)), random);
  const created = creationTimes(count, referenceMs, random);
  const leads: DemoLead[] = new Array<DemoLead>(count);
  for (let i = 0; i < count; i++) {
    const company = companies[random.int(companies.length)] as DemoCompany;
    const f = random.int(FIRST_NAMES.length);
    const l = random.int(LAST_NAMES.length);
    const [title, seniorityEffect] = TITLES.draw(random);
    const [source, sourceEffect] = SOURCES.draw(random);
    const createdMs = created[i] as number;
    const ageDays = Math.floor((referenceMs - createdMs) / DAY_MS);
    // Engagement shares a latent interest with conversion (the noise term) but is noisy itself, so it is a signal, not the label.
    const interest = random.normal();
    const websiteVisits = engagementCount(random, 4 * Math.exp(0.35 * interest), 120);
    const emailOpens = engagementCount(random, 3 * Math.exp(0.3 * interest), 80);
    const daysSinceLastActivity = Math.min(ageDays, Math.floor(random.exponential(25 * Math.exp(-0.3 * interest))));
    const engagement = 0.1 * Math.min(websiteVisits, 20) + 0.08 * Math.min(emailOpens, 15) - 0.018 * Math.min(daysSinceLastActivity, 120);
    const logit =
      CONVERSION_INTERCEPT +
      sourceEffect +
      seniorityEffect +
      company.sizeEffect +
      company.industryEffect +
      engagement +
      0.4 * interest +
      0.5 * random.normal();
    const converted = random.next() < sigmoid(logit);
    const lifecycleStage = converted
      ? random.chance(0.55)
        ? 'customer'
        : 'opportunity'
      : engagement > 1.2 && random.chance(0.5)
        ? random.chance(0.3)
          ? 'salesqualifiedlead'
          : 'marketingqualifiedlead'
        : 'lead';
    const leadStatus = converted
      ? 'Closed - Converted'
      : ageDays > 120 && random.chance(0.6)
        ? 'Closed - Not Converted'
        : daysSinceLastActivity < 30
          ? 'Working - Contacted'
          : 'Open - Not Contacted';
    const updatedMs = changeTime(createdMs, Math.max(0, ageDays - daysSinceLastActivity) * DAY_MS * random.next(), referenceMs, random);
    leads[i] = {
      key: `lead-${String(i + 1).padStart(6, '0')}`,
      firstName: FIRST_NAMES[f] as string,
      lastName: LAST_NAMES[l] as string,
      email: `${FIRST_NAMES_LOWER[f]}.${LAST_NAMES_LOWER[l]}${i + 1}@${company.domain}`,
      company: company.name,
      title,
      industry: company.industry,
      source,
      country: company.country,
      employees: company.employees,
      annualRevenue: company.annualRevenue,
      websiteVisits,
      emailOpens,
      daysSinceLastActivity,
      createdAt: isoSeconds(createdMs),
      converted,
      lifecycleStage,
      updatedAt: isoSeconds(updatedMs),
      leadStatus,
      // 555-0100..0199 is the range reserved for fiction in North American numbers.
      phone: `+1-${random.pick(AREA_CODES)}-555-01${10 + random.int(90)}`,
    };
  }
  return leads;
}
