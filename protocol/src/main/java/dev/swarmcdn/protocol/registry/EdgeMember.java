package dev.swarmcdn.protocol.registry;

/**
 * An edge in rotation as the registry's answers list it to every edge: what owner routing between
 * edges needs.
 *
 * @param id   its registered id ({@link EdgeRegistration#validId})
 * @param url  its registered base URL ({@link EdgeRegistration#baseUrl})
 */
public record EdgeMember(String id, String url) {

  public EdgeMember {
    id = EdgeRegistration.validId(id);
    url = EdgeRegistration.baseUrl("url", url);
  }
}
