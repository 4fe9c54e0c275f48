export const COMMON = 1;
