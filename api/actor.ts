/** Who the audit log names for anything done through the API: the token stands for an administrator. */
export const API_ACTOR = 'Administrator (API token)';
