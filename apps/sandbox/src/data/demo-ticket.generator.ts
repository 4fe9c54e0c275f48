/**
 * Generated support tickets. The category shows in subject and description through its own
 * sentences, diluted by shared filler, with some tickets written in a neighbouring category's words
 * or in generic words only, so that text classifiers top out well below 100 %. Escalation follows a
 * known model: priority, angry / urgent wording, customer tier, waiting time and category.
 */
import type { DemoTicket } from './demo-data.types';
import {
  COMPANY_FIRST,
  COMPANY_FIRST_LOWER,
  COMPANY_SECOND,
  COMPANY_SECOND_LOWER,
  COMPANY_SUFFIX,
  FIRST_NAMES,
  FIRST_NAMES_LOWER,
  LAST_NAMES,
  LAST_NAMES_LOWER,
} from './demo-lead.vocabulary';
import { DemoRandom, sigmoid } from './demo-random';
import {
  ANGRY_PHRASES,
  CATEGORY_CHOICE,
  CATEGORY_INDEX,
  CHANNELS,
  CLOSERS,
  ESCALATION_INTERCEPT,
  FILLER,
  GENERIC_SUBJECTS,
  OPENERS,
  PRIORITIES,
  TICKET_CATEGORIES,
  TIERS,
  URGENT_PHRASES,
} from './demo-ticket.vocabulary';
import { DAY_MS, HOUR_MS, changeTime, creationTimes, isoSeconds } from './demo-timeline';

/** Share of tickets written entirely in a neighbouring category's words (the label says otherwise). */
const CONFUSED_SHARE = 0.1;
/** Share of tickets with a generic subject and a single category sentence. */
const WEAK_TEXT_SHARE = 0.12;
/** Share of tickets with one stray sentence from an unrelated category. */
const STRAY_SENTENCE_SHARE = 0.2;
const ANGRY_SHARE = 0.12;
const URGENT_SHARE = 0.14;

/** Log-odds of escalation per initial priority (low, normal, high, urgent). */
const PRIORITY_EFFECT = [-0.8, 0, 0.9, 1.6];
/** Multiplier on the tier's reply time per priority: urgent tickets are answered first. */
const PRIORITY_REPLY_FACTOR = [1.5, 1, 0.6, 0.3];

interface DemoOrganization {
  name: string;
  domain: string;
  tier: string;
  tierEffect: number;
  replyHours: number;
}

const CONFUSERS: number[][] = TICKET_CATEGORIES.map((c) => c.confusedWith.map((name) => CATEGORY_INDEX.get(name) as number));

function makeOrganizations(count: number, random: DemoRandom): DemoOrganization[] {
  const organizations = new Array<DemoOrganization>(count);
  for (let i = 0; i < count; i++) {
    const a = random.int(COMPANY_FIRST.length);
    const b = random.int(COMPANY_SECOND.length);
    const [tier, tierEffect, replyHours] = TIERS.draw(random);
    organizations[i] = {
      name: `${COMPANY_FIRST[a]} ${COMPANY_SECOND[b]} ${random.pick(COMPANY_SUFFIX)}`,
      domain: `${COMPANY_FIRST_LOWER[a]}${COMPANY_SECOND_LOWER[b]}-${i + 1}.example`,
      tier,
      tierEffect,
      replyHours,
    };
  }
  return organizations;
}

function drawInitialPriority(random: DemoRandom, highShare: number, urgentWords: boolean): number {
  if (random.chance(urgentWords ? highShare + 0.35 : highShare)) return random.chance(0.3) ? 3 : 2;
  return random.chance(0.2) ? 0 : 1;
}

function drawStatus(random: DemoRandom, ageDays: number): string {
  if (ageDays > 10) return random.chance(0.7) ? 'solved' : 'closed';
  const u = random.next();
  return u < 0.25 ? 'new' : u < 0.6 ? 'open' : u < 0.8 ? 'pending' : u < 0.85 ? 'hold' : 'solved';
}

export function generateDemoTickets(count: number, seed: number, referenceMs: number): DemoTicket[] {
  const random = new DemoRandom(seed);
  const organizations = makeOrganizations(Math.max(1, Math.ceil(count / 8)), random);
  const created = creationTimes(count, referenceMs, random);
  const tickets = new Array<DemoTicket>(count);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const category = CATEGORY_CHOICE.index(random);
    const vocabulary = TICKET_CATEGORIES[category]!;
    const confusers = CONFUSERS[category]!;
    const textCategory = random.chance(CONFUSED_SHARE) ? confusers[random.int(confusers.length)]! : category;
    const words = TICKET_CATEGORIES[textCategory]!;
    const weak = random.chance(WEAK_TEXT_SHARE);
    const angry = random.chance(ANGRY_SHARE);
    const urgent = random.chance(URGENT_SHARE + (vocabulary.highPriorityShare > 0.3 ? 0.1 : 0));

    const organization = organizations[random.int(organizations.length)]!;
    const f = random.int(FIRST_NAMES.length);
    const l = random.int(LAST_NAMES.length);
    const firstName = FIRST_NAMES[f]!;

    const subject = weak ? random.pick(GENERIC_SUBJECTS) : random.pick(words.subjects);
    const sentenceCount = words.sentences.length;
    const first = random.int(sentenceCount);
    // Joined once into a flat string: `+=` would leave a tree of ~15 string fragments per ticket for the GC to walk.
    parts.length = 0;
    const opener = random.pick(OPENERS);
    if (opener) parts.push(opener);
    parts.push(words.sentences[first]!);
    if (!weak) parts.push(words.sentences[(first + 1 + random.int(sentenceCount - 1)) % sentenceCount]!);
    if (random.chance(STRAY_SENTENCE_SHARE)) parts.push(random.pick(random.pick(TICKET_CATEGORIES).sentences));
    const filler = random.int(FILLER.length);
    parts.push(FILLER[filler]!);
    if (random.chance(0.5)) parts.push(FILLER[(filler + 1 + random.int(FILLER.length - 1)) % FILLER.length]!);
    if (angry) parts.push(random.pick(ANGRY_PHRASES));
    if (urgent) parts.push(random.pick(URGENT_PHRASES));
    const closer = random.pick(CLOSERS);
    parts[parts.length - 1] += closer ? `\n\n${closer}\n${firstName}` : `\n\n${firstName}`;
    const description = parts.join(' ');

    const initialPriority = drawInitialPriority(random, vocabulary.highPriorityShare, urgent);
    const hoursToFirstReply = Math.round(random.exponential(organization.replyHours * PRIORITY_REPLY_FACTOR[initialPriority]!) * 10) / 10;
    const logit =
      ESCALATION_INTERCEPT +
      PRIORITY_EFFECT[initialPriority]! +
      (angry ? 1.3 : 0) +
      (urgent ? 0.7 : 0) +
      organization.tierEffect +
      0.035 * Math.min(hoursToFirstReply, 48) +
      vocabulary.escalationEffect +
      0.5 * random.normal();
    const escalated = random.next() < sigmoid(logit);
    // History: escalations usually raised the priority; a few other tickets were re-prioritised too.
    let priority = initialPriority;
    if (escalated && priority < 3 && random.chance(0.7)) priority += 1;
    else if (!escalated && random.chance(0.04)) priority = Math.max(0, Math.min(3, priority + (random.chance(0.5) ? 1 : -1)));

    const createdMs = created[i]!;
    const ageDays = (referenceMs - createdMs) / DAY_MS;
    const uncategorised = random.chance(ageDays < 14 ? 0.6 : 0.1);
    const tags = [`tier_${organization.tier}`];
    if (escalated) tags.push('escalated');
    const channel = CHANNELS.draw(random);
    const updatedMs = changeTime(createdMs, (hoursToFirstReply + random.exponential(48)) * HOUR_MS, referenceMs, random);
    tickets[i] = {
      key: `ticket-${String(i + 1).padStart(6, '0')}`,
      subject,
      description,
      requesterName: `${firstName} ${LAST_NAMES[l]}`,
      requesterEmail: `${FIRST_NAMES_LOWER[f]}.${LAST_NAMES_LOWER[l]}${i + 1}@${organization.domain}`,
      customerTier: organization.tier,
      category: uncategorised ? null : vocabulary.name,
      initialPriority: PRIORITIES[initialPriority]!,
      priority: PRIORITIES[priority]!,
      status: drawStatus(random, ageDays),
      channel,
      hoursToFirstReply,
      escalated,
      tags,
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(updatedMs),
      organization: organization.name,
    };
  }
  return tickets;
}
