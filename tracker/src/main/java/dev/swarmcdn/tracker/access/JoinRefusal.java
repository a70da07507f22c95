package dev.swarmcdn.tracker.access;

/** Why a join's token was refused; the reason goes into the {@code unauthorized} error frame. */
public enum JoinRefusal {
  MISSING("this tracker needs a token to join"),
  MALFORMED("token is not a well-formed JWT with exp and stream claims"),
  ALGORITHM("token must be signed with HS256"),
  BAD_SIGNATURE("token signature does not match"),
  EXPIRED("token has expired"),
  NOT_YET_VALID("token is not valid yet"),
  WRONG_STREAM("token does not grant this stream");

  private final String reason;

  JoinRefusal(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
