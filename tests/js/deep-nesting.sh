# Deep nesting gives a clean RangeError, never a crash (100,000 levels).
tmp=$(mktemp -d)
for open in '(' '[' '{' 'f(' 'x=>'; do
  python3 -c "import sys; sys.stdout.write(sys.argv[1] * 100000)" "$open" > "$tmp/deep.js"
  "$TANDEM" "$tmp/deep.js" 2>&1 | head -1 | sed 's|^.*/deep.js|deep.js|; s|:1:[0-9]*:|:1:N:|'
  echo "exit ${PIPESTATUS[0]}"
done
rm -rf "$tmp"
