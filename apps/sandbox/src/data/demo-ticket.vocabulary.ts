/**
 * Phrases for generated support tickets. Each category has its own subjects and sentences; shared
 * openers and filler dilute them, and each category names the neighbours it is confused with (a
 * refund asked for in a billing ticket), so a classifier can learn the categories but not perfectly.
 * Everything is precomputed: a ticket is assembled by picking indexes, never by string processing.
 */
import { WeightedChoice } from './demo-random';

export interface TicketCategoryVocabulary {
  name: string;
  /** Share of tickets in this category. */
  weight: number;
  /** Log-odds added to escalation (security incidents escalate more). */
  escalationEffect: number;
  /** Chance the ticket starts as high or urgent. */
  highPriorityShare: number;
  confusedWith: string[];
  subjects: string[];
  sentences: string[];
}

export const TICKET_CATEGORIES: TicketCategoryVocabulary[] = [
  {
    name: 'Billing',
    weight: 17,
    escalationEffect: 0.1,
    highPriorityShare: 0.15,
    confusedWith: ['Returns', 'Account'],
    subjects: [
      'Charged twice this month',
      'Question about my invoice',
      'Wrong amount on invoice',
      'Payment failed',
      'Update billing details',
      'Unexpected charge on my card',
      'Invoice shows wrong VAT number',
      'Cannot download invoice PDF',
      'Subscription price changed',
      'Credit card declined at renewal',
    ],
    sentences: [
      'Our credit card was charged twice for the same invoice.',
      'The invoice total does not match the price on our subscription plan.',
      'Please send a corrected invoice with our VAT number on it.',
      'The payment failed even though the card details are correct.',
      'We were billed for 25 seats but we only have 18 users.',
      'I need to change the billing address and the card on file.',
      'The renewal charge is higher than the quote we signed.',
      'Can you explain the proration on this month’s invoice?',
      'Our finance team needs a copy of every invoice from last year.',
      'The charge appears as pending on our bank statement.',
      'We would like to switch from monthly to annual billing.',
      'Tax was added to the invoice although we are exempt.',
    ],
  },
  {
    name: 'Technical',
    weight: 22,
    escalationEffect: 0.2,
    highPriorityShare: 0.3,
    confusedWith: ['Bug', 'Feature Request'],
    subjects: [
      'Integration not syncing',
      'API returns timeout',
      'How do I configure SSO',
      'Sync stuck since this morning',
      'Webhook not delivered',
      'Cannot connect to the server',
      'Import keeps failing',
      'Slow dashboard performance',
      'Help setting up the API',
      'Data not updating',
    ],
    sentences: [
      'The integration stopped syncing records after the last configuration change.',
      'Our API calls time out after 30 seconds when we request large pages.',
      'We followed the setup guide but the connection test still fails.',
      'The webhook endpoint is configured but no events are delivered.',
      'Dashboards take more than a minute to load for our team.',
      'The CSV import fails on the mapping step without a clear message.',
      'How do we configure single sign-on with our identity provider?',
      'The server returns a gateway timeout during the nightly sync.',
      'We need help with the API authentication headers.',
      'The data in the report is several hours behind the source system.',
      'Our firewall may be blocking the connector, which IP ranges do you use?',
      'The mobile app cannot reach the server on our corporate network.',
    ],
  },
  {
    name: 'Account',
    weight: 15,
    escalationEffect: -0.1,
    highPriorityShare: 0.12,
    confusedWith: ['Security', 'Billing'],
    subjects: [
      'Cannot log in',
      'Reset my password',
      'Add a new user to our account',
      'Change account owner',
      'Locked out of my account',
      'Update my email address',
      'Remove a former employee',
      'Merge two accounts',
      'Two-factor code not arriving',
      'Change company name on account',
    ],
    sentences: [
      'I cannot log in after resetting my password.',
      'The password reset email never arrives in my inbox.',
      'Please transfer account ownership to our new admin.',
      'We need to add three new users to our workspace.',
      'My account is locked after too many login attempts.',
      'I want to change the email address on my profile.',
      'Please deactivate the user who left the company last week.',
      'We accidentally created two accounts and want to merge them.',
      'The two-factor code is not arriving on my phone.',
      'How do I give a colleague admin permissions?',
      'Our company name changed and the account should show the new one.',
      'I would like to close my personal account.',
    ],
  },
  {
    name: 'Shipping',
    weight: 11,
    escalationEffect: 0,
    highPriorityShare: 0.15,
    confusedWith: ['Returns'],
    subjects: [
      'Where is my order',
      'Package not delivered',
      'Tracking number not working',
      'Delivery delayed',
      'Wrong delivery address',
      'Order shipped to old address',
      'Courier left package at wrong door',
      'When will my order ship',
      'Express shipping not honoured',
      'Customs fees on delivery',
    ],
    sentences: [
      'The tracking number shows no movement for six days.',
      'Our order was marked as delivered but the package never arrived.',
      'The courier says the address on the shipping label is incomplete.',
      'We paid for express shipping and the delivery is a week late.',
      'Please change the delivery address before the order ships.',
      'The parcel was left with a neighbour we do not know.',
      'When will the backordered items be dispatched from the warehouse?',
      'The carrier asked us to pay customs fees on delivery.',
      'Only two of the four boxes in the shipment arrived.',
      'The estimated delivery date keeps moving.',
      'Can you ship the replacement to our second warehouse?',
      'The package arrived damaged and the box was open.',
    ],
  },
  {
    name: 'Feature Request',
    weight: 9,
    escalationEffect: -0.9,
    highPriorityShare: 0.04,
    confusedWith: ['Technical'],
    subjects: [
      'Feature request: export to Excel',
      'Suggestion for the dashboard',
      'Please add dark mode',
      'Would love a bulk edit option',
      'Idea: custom fields on reports',
      'Request: calendar integration',
      'Can you support more languages',
      'Wishlist for next release',
      'API endpoint for archived records',
      'Custom roles and permissions',
    ],
    sentences: [
      'It would be great if we could export reports to Excel.',
      'Please consider adding a dark mode to the web app.',
      'A bulk edit option would save our team hours every week.',
      'We would love to see custom fields on the reports page.',
      'Is a calendar integration on your roadmap?',
      'Our users in Brazil would like the interface in Portuguese.',
      'A suggestion: let us schedule reports to be emailed weekly.',
      'Could you add an API endpoint that lists archived records?',
      'We would pay more for custom roles with finer permissions.',
      'Other tools we use already offer this, so it would help us a lot.',
      'Please add keyboard shortcuts for the most common actions.',
      'An audit history on each record would be a welcome addition.',
    ],
  },
  {
    name: 'Bug',
    weight: 12,
    escalationEffect: 0.3,
    highPriorityShare: 0.35,
    confusedWith: ['Technical'],
    subjects: [
      'Error when saving a record',
      'Page crashes on load',
      'Button does nothing',
      'Wrong totals in report',
      'App crashes after update',
      'Error 500 on the settings page',
      'Duplicated rows after import',
      'Dates shown in wrong time zone',
      'Search returns nothing',
      'Broken layout in Safari',
    ],
    sentences: [
      'Saving a record shows an error message and the changes are lost.',
      'The page crashes with a blank screen as soon as it loads.',
      'Clicking the save button does nothing in Firefox.',
      'The report totals are wrong since the latest release.',
      'The mobile app crashes right after the update.',
      'The settings page returns error 500 every time.',
      'After the import every row appears twice in the list.',
      'All dates are shown in UTC instead of our time zone.',
      'Search returns no results for records that clearly exist.',
      'The layout is broken in Safari and the menu overlaps the table.',
      'Steps to reproduce: open a record, edit a field, press save.',
      'This worked last week, so it looks like a regression.',
    ],
  },
  {
    name: 'Security',
    weight: 6,
    escalationEffect: 1.0,
    highPriorityShare: 0.55,
    confusedWith: ['Account'],
    subjects: [
      'Suspicious login attempts',
      'Possible data breach',
      'Phishing email claiming to be you',
      'Unknown device on our account',
      'Security questionnaire for audit',
      'Report a vulnerability',
      'API key may be leaked',
      'Unauthorized access to records',
      'Request SOC 2 report',
      'Password policy enforcement',
    ],
    sentences: [
      'We see login attempts from countries where we have no staff.',
      'An unknown device accessed our account last night.',
      'Our staff received a phishing email that uses your logo.',
      'One of our API keys may have been pushed to a public repository.',
      'Someone exported customer records without authorization.',
      'We need your SOC 2 report and security questionnaire for our audit.',
      'I found a vulnerability and want to report it responsibly.',
      'Please revoke all active sessions for our workspace.',
      'Can we enforce a stronger password policy for all users?',
      'Our security team needs the audit log for the last 90 days.',
      'Is customer data encrypted at rest and in transit?',
      'We suspect a compromised admin account.',
    ],
  },
  {
    name: 'Returns',
    weight: 8,
    escalationEffect: 0,
    highPriorityShare: 0.08,
    confusedWith: ['Shipping', 'Billing'],
    subjects: [
      'Request a refund',
      'Return an item',
      'Refund not received',
      'Exchange for a different size',
      'Return label needed',
      'Cancel my order and refund',
      'Item not as described',
      'Refund status',
      'Faulty product, want replacement',
      'Return window question',
    ],
    sentences: [
      'I would like to return the item and get a refund.',
      'The refund was approved two weeks ago but has not reached my account.',
      'Please send me a prepaid return label.',
      'Can I exchange this for a larger size instead of a refund?',
      'The product does not match the description on your website.',
      'I cancelled the order within the return window.',
      'The item stopped working after three days and I want a replacement.',
      'How long does it take to process a return once you receive it?',
      'I sent the return back last week, tracking shows it arrived.',
      'Is the return shipping cost deducted from the refund?',
      'The replacement you sent has the same defect.',
      'We want to return the unused licences from our order.',
    ],
  },
];

export const CATEGORY_CHOICE = new WeightedChoice<number>(TICKET_CATEGORIES.map((c, i) => [i, c.weight] as const));

export const CATEGORY_INDEX = new Map(TICKET_CATEGORIES.map((c, i) => [c.name, i]));

export const OPENERS = ['Hi team,', 'Hello,', 'Hi there,', 'Good morning,', 'Dear support,', 'Hey,', '', '', 'Hi,'];

/** Shared sentences: every category uses them, so they dilute the category words. */
export const FILLER = [
  'I have attached a screenshot.',
  'Thanks in advance for your help.',
  'Please let me know if you need more details.',
  'We are on the Professional plan.',
  'This started yesterday afternoon.',
  'My colleague reported the same thing.',
  'I already checked your help center.',
  'Our account manager suggested I write to you.',
  'Could you look into this when you have a moment?',
  'We have been customers for several years.',
  'I tried again this morning with the same result.',
  'Let me know what information you need from us.',
  'Our team is based in Europe.',
  'I am not sure if this is the right place to ask.',
  'This affects several people on our team.',
  'Happy to jump on a call if that helps.',
];

export const GENERIC_SUBJECTS = [
  'Need help',
  'Question',
  'Problem with our account',
  'Please help',
  'Follow up',
  'Issue',
  'Support request',
  'Quick question',
];

/** Frustration: raises escalation risk. */
export const ANGRY_PHRASES = [
  'This is completely unacceptable.',
  'I am extremely frustrated with your service.',
  'This is the third time I have contacted you about this.',
  'We are considering moving to a competitor.',
  'Nobody has answered my previous emails.',
  'Your support has been terrible so far.',
];

/** Urgency: raises escalation risk and initial priority. */
export const URGENT_PHRASES = [
  'This is urgent.',
  'Please fix this ASAP.',
  'Our whole team is blocked.',
  'We need this resolved today.',
  'This is costing us money every hour.',
  'Production is down because of this.',
];

export const CLOSERS = ['Thanks,', 'Best regards,', 'Cheers,', 'Kind regards,', 'Thank you,', ''];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Customer tier, its escalation effect and its mean hours to first reply (SLAs differ by tier). */
export const TIERS = new WeightedChoice<readonly [string, number, number]>([
  [['free', -0.8, 30], 30],
  [['standard', 0, 12], 38],
  [['premium', 0.5, 5], 22],
  [['enterprise', 1.2, 2.5], 10],
]);

export const CHANNELS = new WeightedChoice<string>([
  ['email', 45],
  ['web', 30],
  ['chat', 12],
  ['phone', 8],
  ['api', 5],
]);

export const ESCALATION_INTERCEPT = -3.1;
