import Provider from 'oidc-provider';

/**
 * oidc-provider accepts client_secret_basic and client_secret_post interchangeably. OneLogin's app setting names one
 * way ("Basic": Authorization header, "POST": form body), so each client is held to its registered way here: an RP
 * that sends its secret the wrong way fails in development instead of against OneLogin. Sending it both ways is
 * already refused by oidc-provider.
 */
export function holdClientsToTheirAuthMethod(provider: Provider): void {
  // provider.Client is a class made for this provider instance, so other providers in the process are untouched.
  const prototype = provider.Client.prototype;
  const compareSecret = prototype.compareClientSecret;
  prototype.compareClientSecret = function compareClientSecret(actual: string) {
    // The request being authenticated, from oidc-provider's async-local context.
    const inHeader = Provider.ctx?.headers.authorization !== undefined;
    if (this.clientAuthMethod === 'client_secret_basic' && !inHeader) return false;
    if (this.clientAuthMethod === 'client_secret_post' && inHeader) return false;
    return compareSecret.call(this, actual);
  };
}
