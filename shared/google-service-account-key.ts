// The key file format is Google's (a contract between the connectors, the emulator that issues such keys, and the demo connections file).
/** The JSON key file Google issues for a service account (Cloud console, "Keys", JSON). */
export interface ServiceAccountKeyJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}
