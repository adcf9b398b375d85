# Sourced by the engines' scripts: find a JDK and build the Maven project once.
# engines_java N   prints the java binary of a JDK of version N or newer (JAVA_HOME, then the
#                  default java, then /usr/lib/jvm/*), or fails naming what it looked for.
# engines_build    packages engines/ (offline when everything is already in ~/.m2).

engines_java_version() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

engines_java() {
  local want="$1" candidate version
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    version="$(engines_java_version "$candidate")"
    if [[ -n "$version" && "${version%%.*}" -ge "$want" ]]; then echo "$candidate"; return 0; fi
  done
  echo "no Java $want or newer found (JAVA_HOME, PATH, /usr/lib/jvm)" >&2
  return 1
}

engines_build() {
  local java21 home stamp newest
  stamp="$ENGINES/target/build.stamp"
  if [[ -f "$stamp" ]]; then
    newest="$(find "$ENGINES" -path '*/target' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' \) -newer "$stamp" -print | head -1)"
    if [[ -z "$newest" ]]; then return 0; fi
  fi
  java21="$(engines_java 21)" || return 1
  home="$(dirname "$(dirname "$(readlink -f "$java21")")")"
  mkdir -p "$ENGINES/target"
  # Offline first (everything already in ~/.m2), then online to fetch what is missing.
  if ! JAVA_HOME="$home" MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}" \
      mvn -q -o -B -f "$ENGINES/pom.xml" package >"$ENGINES/target/build.log" 2>&1; then
    JAVA_HOME="$home" MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}" \
      mvn -q -B -f "$ENGINES/pom.xml" package >"$ENGINES/target/build.log" 2>&1 \
      || { echo "engines: Maven build failed, see $ENGINES/target/build.log" >&2; tail -30 "$ENGINES/target/build.log" >&2; return 1; }
  fi
  touch "$stamp"
}
