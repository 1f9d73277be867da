-- Lua 5.4 equivalent of the reference Rhai engine's scripts/primes.rhai (sieve of Eratosthenes up to 1,000,000).
local now = os.clock()

local ANSWER = 78498
local MAX_NUMBER_TO_CHECK = 1000000

-- Rhai arrays start at 0: index 0 is kept in the table too, so the work is the same
local prime_mask = {}
for i = 0, MAX_NUMBER_TO_CHECK do
    prime_mask[i] = true
end

prime_mask[0] = false
prime_mask[1] = false

local total_primes_found = 0

for p = 2, MAX_NUMBER_TO_CHECK do
    if prime_mask[p] then
        total_primes_found = total_primes_found + 1
        for i = 2 * p, MAX_NUMBER_TO_CHECK, p do
            prime_mask[i] = false
        end
    end
end

print(string.format("Total %d primes <= %d", total_primes_found, MAX_NUMBER_TO_CHECK))
print(string.format("Run time = %.6f seconds.", os.clock() - now))

if total_primes_found ~= ANSWER then
    print(string.format("The answer is WRONG! Should be %d!", ANSWER))
end
