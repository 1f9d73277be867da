-- Lua 5.4 equivalent of the reference Rhai engine's scripts/speed_test.rhai (1M iterations of a while loop).
local now = os.clock()
local x = 1000000

print("Ready... Go!")

while x > 0 do
    x = x - 1
end

print(string.format("Finished. Run time = %.6f seconds.", os.clock() - now))
